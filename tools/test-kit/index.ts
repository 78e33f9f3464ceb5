export { RedisServer } from './redis-server.ts'
export { RedisCluster, RedisNode, RedisSentinels, waitFor } from './redis-topology.ts'
export {
  defaultRuntime,
  eachRuntimeOnce,
  type Runtime,
  runtimes,
  type Server,
  startServer,
} from './runtimes.ts'
