// Saves one session over and over with growing data until killed: for the crash test.
import { createFsSessionStorage } from '../lib/session-storage/fs.ts'

let [directory, id] = process.argv.slice(2) as [string, string]
let storage = createFsSessionStorage(directory)
for (let round = 1; ; round++) {
  let session = await storage.read(id)
  session.set('round', round)
  session.set('payload', 'x'.repeat(1000 + (round % 50) * 1000))
  await storage.save(session)
  if (round === 1) process.stdout.write('writing\n')
}
