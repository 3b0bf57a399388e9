import t from 'tap'
import { x } from '../src/index.ts'
t.equal(x, 1)
