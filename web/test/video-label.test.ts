import t from 'tap'
import { playingLabel, videoLabel } from '../src/lib/video-label.ts'

t.test('a video is named by its file, else by the host of its address', async (t) => {
  t.equal(videoLabel('http://127.0.0.1:3000/media/sample.webm'), 'sample.webm')
  t.equal(videoLabel('https://cdn.example/films/My%20Film%20(1927).mp4?sig=abc#t=10'), 'My Film (1927).mp4', 'decoded, without query or fragment')
  t.equal(videoLabel('https://videos.example/'), 'videos.example', 'no file: the host')
  t.equal(videoLabel('https://videos.example:8443'), 'videos.example:8443')
  t.equal(videoLabel('https://videos.example/watch/'), 'watch', 'a trailing slash is not a file of its own')
  t.equal(videoLabel('https://videos.example/bad%E0%A4%A.mp4'), 'bad%E0%A4%A.mp4', 'a broken escape is shown as written')
  t.equal(videoLabel('not a url'), 'not a url')
})

t.test('what a session plays is named by its title, else its URL, else its local file', async (t) => {
  t.equal(playingLabel({ title: 'Episode 1', url: 'https://v.example/ep1.mp4', fileName: null }), 'Episode 1')
  t.equal(playingLabel({ title: '', url: 'https://v.example/films/ep%202.mp4', fileName: null }), 'ep 2.mp4')
  t.equal(playingLabel({ title: '', url: '', fileName: 'home movie.mkv' }), 'home movie.mkv')
  t.equal(playingLabel({ title: 'Holiday', url: '', fileName: 'home movie.mkv' }), 'Holiday')
})
