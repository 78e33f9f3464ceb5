export { RedisServer } from './redis-server.ts'
export { type Runtime, runtimes, type Server, startServer } from './runtimes.ts'
