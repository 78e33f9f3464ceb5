import { RedisStore } from 'connect-redis'
import { createClient } from 'redis'
import { redisUrl } from '../config.ts'
import { serveExpressCounter } from './express-app.ts'

// express 5 + express-session + connect-redis 10 over node-redis.
let client = createClient({ url: redisUrl })
client.on('error', (error) => console.error('redis:', error))
await client.connect()
serveExpressCounter(new RedisStore({ client, prefix: 'bench:express-session:' }), () =>
  client.close(),
)
