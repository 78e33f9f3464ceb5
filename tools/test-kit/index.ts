export { freePort } from './free-port.ts'
export { eventually, waitFor } from './polling.ts'
export { PostgresServer } from './postgres-server.ts'
export { RedisServer } from './redis-server.ts'
export { RedisCluster, RedisNode, RedisSentinels } from './redis-topology.ts'
export {
  defaultRuntime,
  eachRuntimeOnce,
  type Runtime,
  runtimes,
  type Server,
  startServer,
} from './runtimes.ts'
export { type ThrowawayServer, withServer } from './with-server.ts'
