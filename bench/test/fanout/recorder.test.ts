import t from 'tap'
import { FanoutRecorder } from '../../src/fanout/recorder.ts'

t.test('a command is timed once every viewer has it and the sender has its answer', async (t) => {
  const recorder = new FanoutRecorder(3, 1)
  for (const command of [0, 1, 2]) {
    recorder.sent(command)
    recorder.received(command, 0)
    recorder.received(command, 1)
    if (command !== 2) recorder.received(command, 1)
    recorder.acked(command)
  }
  recorder.sent(3)
  await recorder.drain(10)
  const summary = recorder.summary()
  t.equal(summary.lastViewer.count, 1, 'command 0 was warm-up, command 2 missed a viewer, command 3 reached none')
  t.equal(summary.ack.count, 1)
  t.equal(summary.lastViewerByGroup.length, 2, 'one figure per replica')
  t.equal(summary.incomplete, 2)
  t.equal(summary.lost, 1)
  t.equal(summary.series.length, 1)
})
