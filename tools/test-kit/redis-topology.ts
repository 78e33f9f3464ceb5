import { type ChildProcess, execFile, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './free-port.ts'
import { waitFor } from './polling.ts'
import { untilReady } from './until-ready.ts'

const run = promisify(execFile)

/** One redis-server (or sentinel) process of a topology, in its own process group. */
export class RedisNode {
  readonly port: number
  readonly directory: string
  #child: ChildProcess

  private constructor(port: number, directory: string, child: ChildProcess) {
    this.port = port
    this.directory = directory
    this.#child = child
  }

  /**
   * Starts `redis-server` with `args` on `port`, in `directory`, and waits until it listens.
   * `launcher`, when given, is a command that runs it and then becomes it, keeping its process id
   * (`['taskset', '-c', '0']`, say).
   */
  static async start(
    port: number,
    directory: string,
    args: string[],
    launcher: readonly string[] = [],
  ): Promise<RedisNode> {
    fs.mkdirSync(directory, { recursive: true })
    let base = ['--port', String(port), '--bind', '127.0.0.1', '--dir', directory]
    let [command, ...rest] = [...launcher, 'redis-server', ...args, ...base]
    let child = spawn(command as string, [...rest, '--save', '', '--appendonly', 'no'], {
      stdio: 'pipe',
      detached: true,
    })
    await untilReady(child, 'redis-server', /Ready to accept connections|Sentinel ID is/)
    return new RedisNode(port, directory, child)
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null
  }

  /** Runs `redis-cli -p <port> ...args` and resolves to its output. */
  async cli(...args: string[]): Promise<string> {
    let { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...args])
    return stdout
  }

  /** Kills the process group outright (SIGKILL), as a crashed machine, and waits for the exit. */
  async kill(): Promise<void> {
    if (!this.alive) return
    let exited = new Promise((resolve) => this.#child.once('exit', resolve))
    process.kill(-(this.#child.pid as number), 'SIGKILL')
    await exited
  }
}

/** Ports that are free now, distinct. */
async function freePorts(count: number): Promise<number[]> {
  let ports = new Set<number>()
  while (ports.size < count) ports.add(await freePort())
  return [...ports]
}

/**
 * A Redis Cluster of 3 masters and 3 replicas on loopback, on free ports, started with
 * `redis-cli --cluster create`. Its node timeout is 1 second, so a replica takes over about 2
 * seconds after its master dies. `stop()` kills every node and removes their directories
 * (nodes.conf included).
 */
export class RedisCluster {
  readonly nodes: RedisNode[]
  #root: string

  private constructor(nodes: RedisNode[], root: string) {
    this.nodes = nodes
    this.#root = root
  }

  static async start(): Promise<RedisCluster> {
    let root = fs.mkdtempSync(path.join(os.tmpdir(), 'x-redis-cluster-'))
    let ports = await freePorts(12)
    let nodes: RedisNode[] = []
    let cluster = new RedisCluster(nodes, root)
    try {
      for (let index = 0; index < 6; index++) {
        let port = ports[index] as number
        let args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf']
        args.push('--cluster-node-timeout', '1000', '--cluster-port', String(ports[index + 6]))
        nodes.push(await RedisNode.start(port, path.join(root, String(port)), args))
      }
      let addresses = nodes.map((node) => `127.0.0.1:${node.port}`)
      await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1'], {
        env: { ...process.env, REDISCLI_CLUSTER_YES: '1' },
      })
      await waitFor('the cluster', () => cluster.#ready())
    } catch (error) {
      await cluster.stop()
      throw error
    }
    return cluster
  }

  /** Seed addresses for a cluster client. */
  get seeds(): { host: string; port: number }[] {
    return this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }))
  }

  /** The live node that is master of the slot of `key`. */
  async masterOf(key: string): Promise<RedisNode> {
    let live = this.nodes.filter((node) => node.alive)
    let slot = Number(await (live[0] as RedisNode).cli('cluster', 'keyslot', key))
    for (let node of live) {
      let nodesText = await node.cli('cluster', 'nodes')
      let mine = nodesText.split('\n').find((line) => line.includes('myself'))
      if (mine?.includes('master') && ownsSlot(mine, slot)) return node
    }
    throw new Error(`No live master holds slot ${slot}`)
  }

  /** Whether every live node reports the cluster as `ok` with all 16384 slots served. */
  async #ready(): Promise<boolean> {
    for (let node of this.nodes.filter((each) => each.alive)) {
      let info = await node.cli('cluster', 'info')
      if (!info.includes('cluster_state:ok') || !info.includes('cluster_slots_ok:16384')) {
        return false
      }
    }
    return true
  }

  /** Waits until every live master's replica has every write the master has (offsets equal). */
  async waitForReplication(): Promise<void> {
    await waitFor('the replicas to catch up', async () => {
      for (let node of this.nodes.filter((each) => each.alive)) {
        let info = await node.cli('info', 'replication')
        if (!info.includes('role:master')) continue
        let offset = /master_repl_offset:(\d+)/.exec(info)?.[1]
        let replica = /slave0:.*offset=(\d+)/.exec(info)?.[1]
        if (offset === undefined || replica !== offset) return false
      }
      return true
    })
  }

  /** Waits until the cluster serves every slot again (after a failover). */
  async waitUntilReady(): Promise<void> {
    await waitFor('the cluster to recover', () => this.#ready())
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()))
    fs.rmSync(this.#root, { recursive: true, force: true })
  }
}

/** Whether a `CLUSTER NODES` line lists `slot` among its slot ranges. */
function ownsSlot(line: string, slot: number): boolean {
  for (let range of line.split(' ').slice(8)) {
    let [from, to = from] = range.split('-').map(Number)
    if (from !== undefined && to !== undefined && slot >= from && slot <= to) return true
  }
  return false
}

/**
 * A master, one replica and three sentinels (`redis-server --sentinel`, quorum 2, down after 1
 * second) on loopback, on free ports. The master is named `mymaster`. `stop()` kills them all and
 * removes their directories and sentinel configs.
 */
export class RedisSentinels {
  readonly master: RedisNode
  readonly replica: RedisNode
  readonly sentinels: RedisNode[]
  readonly name = 'mymaster'
  #root: string

  private constructor(master: RedisNode, replica: RedisNode, sentinels: RedisNode[], root: string) {
    this.master = master
    this.replica = replica
    this.sentinels = sentinels
    this.#root = root
  }

  static async start(): Promise<RedisSentinels> {
    let root = fs.mkdtempSync(path.join(os.tmpdir(), 'x-redis-sentinel-'))
    let [masterPort, replicaPort, ...sentinelPorts] = (await freePorts(5)) as [
      number,
      number,
      ...number[],
    ]
    let started: RedisNode[] = []
    try {
      let master = await RedisNode.start(masterPort, path.join(root, 'master'), [])
      started.push(master)
      let replica = await RedisNode.start(replicaPort, path.join(root, 'replica'), [
        '--replicaof',
        '127.0.0.1',
        String(masterPort),
      ])
      started.push(replica)
      let sentinels: RedisNode[] = []
      for (let port of sentinelPorts) {
        let directory = path.join(root, `sentinel-${port}`)
        fs.mkdirSync(directory, { recursive: true })
        let config = path.join(directory, 'sentinel.conf')
        fs.writeFileSync(
          config,
          [
            `sentinel monitor mymaster 127.0.0.1 ${masterPort} 2`,
            'sentinel down-after-milliseconds mymaster 1000',
            'sentinel failover-timeout mymaster 5000',
            'sentinel parallel-syncs mymaster 1',
            '',
          ].join('\n'),
        )
        let node = await RedisNode.start(port, directory, [config, '--sentinel'])
        started.push(node)
        sentinels.push(node)
      }
      let topology = new RedisSentinels(master, replica, sentinels, root)
      await waitFor('the replica to sync', async () =>
        (await replica.cli('info', 'replication')).includes('master_link_status:up'),
      )
      await waitFor('the sentinels to see each other and the replica', async () => {
        for (let sentinel of sentinels) {
          let info = await sentinel.cli('sentinel', 'master', 'mymaster')
          let lines = info.split('\n').map((line) => line.trim())
          let field = (name: string) => lines[lines.indexOf(name) + 1]
          if (field('num-other-sentinels') !== '2' || field('num-slaves') !== '1') return false
        }
        return true
      })
      return topology
    } catch (error) {
      await Promise.all(started.map((node) => node.kill()))
      fs.rmSync(root, { recursive: true, force: true })
      throw error
    }
  }

  /** Sentinel addresses for a client. */
  get addresses(): { host: string; port: number }[] {
    return this.sentinels.map((node) => ({ host: '127.0.0.1', port: node.port }))
  }

  /** Waits until the replica has every write the master has (offsets equal). */
  async waitForReplication(): Promise<void> {
    await waitFor('the replica to catch up', async () => {
      let info = await this.master.cli('info', 'replication')
      let offset = /master_repl_offset:(\d+)/.exec(info)?.[1]
      return offset !== undefined && /slave0:.*offset=(\d+)/.exec(info)?.[1] === offset
    })
  }

  /** Waits until the sentinels name the replica as the master. */
  async waitForPromotion(): Promise<void> {
    await waitFor('the sentinels to promote the replica', async () => {
      let reply = await (this.sentinels[0] as RedisNode).cli(
        'sentinel',
        'get-master-addr-by-name',
        'mymaster',
      )
      return reply.split('\n')[1]?.trim() === String(this.replica.port)
    })
  }

  async stop(): Promise<void> {
    await Promise.all([this.master, this.replica, ...this.sentinels].map((node) => node.kill()))
    fs.rmSync(this.#root, { recursive: true, force: true })
  }
}
