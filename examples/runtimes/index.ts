export { RedisServer } from './redis-server.ts'
export {
  defaultRuntime,
  eachRuntimeOnce,
  type Runtime,
  runtimes,
  type Server,
  startServer,
} from './runtimes.ts'
