import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startCloudSidecar } from '../../native/cloud-sidecar';
import { utilityCloudLauncher, type UtilityChildLike, type UtilityForkLike } from './cloud-process';

/** Electron's utilityProcess.fork, as a recorder with a child the test drives. */
function fakeFork() {
  const calls: Parameters<UtilityForkLike>[] = [];
  const child = Object.assign(new EventEmitter(), {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    killed: 0,
    kill: () => {
      child.killed++;
      setImmediate(() => child.emit('exit', 0));
      return true;
    },
  });
  const fork: UtilityForkLike = (...args) => {
    calls.push(args);
    return child as unknown as UtilityChildLike;
  };
  return { fork, calls, child };
}

describe('the embedded cloud in an Electron utility process', () => {
  it('forks the bundled cloud with the sidecar settings and no run-as-node', async () => {
    const f = fakeFork();
    const started = startCloudSidecar({
      launch: utilityCloudLauncher(f.fork, '/app/out/main/cloud.js'),
      port: 8787,
      dataDir: '/user-data/cloud-data',
      allowedOrigins: ['app://terminal'],
    });
    f.child.stdout.write(
      'CLOUD_READY {"url":"http://127.0.0.1:8787","storeId":"demo-us","provisioningCode":"K7QM-2D9X-PLW4","loginUrl":"http://127.0.0.1:8787/login/x"}\n',
    );
    const sidecar = await started;
    expect(sidecar).toMatchObject({
      url: 'http://127.0.0.1:8787',
      provisioningCode: 'K7QM-2D9X-PLW4',
    });
    const [entry, args, options] = f.calls[0]!;
    expect([entry, args, options.stdio]).toEqual(['/app/out/main/cloud.js', [], 'pipe']);
    expect(options.env).toMatchObject({
      PORT: '8787',
      HOST: '127.0.0.1',
      CLOUD_DATA_DIR: '/user-data/cloud-data',
      CLOUD_ALLOWED_ORIGINS: 'app://terminal',
    });
    expect(options.env).not.toHaveProperty('ELECTRON_RUN_AS_NODE');
    expect(options.env).not.toHaveProperty('CLOUD_ADMIN_TOKEN');
    await sidecar.stop();
    expect(f.child.killed).toBe(1);
  });

  it('reports a cloud that exits before it is ready', async () => {
    const f = fakeFork();
    const started = startCloudSidecar({
      launch: utilityCloudLauncher(f.fork, '/app/out/main/cloud.js'),
      port: 8787,
      dataDir: '/d',
      allowedOrigins: [],
    });
    f.child.stderr.write('Error: Cannot find package @electric-sql/pglite\n');
    await new Promise((r) => setImmediate(r));
    f.child.emit('exit', 1);
    await expect(started).rejects.toThrow(/exited \(1\): Error: Cannot find package/);
  });
});
