import assert from 'node:assert/strict';
import {
  mkdtemp,
  readdir,
  readFile,
  rm,
  utimes,
  writeFile,
} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {manifestFileName} from '../../../trainer/checkpoint-manifest.js';
import {
  findLatestValidCheckpoint,
  listCheckpoints,
  readCheckpointFile,
  writeCheckpoint,
} from '../../../trainer/checkpoint-store.js';
import type {
  CheckpointListing,
  CheckpointRecord,
} from '../../../trainer/checkpoint-store.js';

function recordAt(step: number, loss: number | null = 1 / (step + 1)):
    CheckpointRecord {
  const weights = new Uint8Array(64).map((_, index) => (index * step) % 256);
  return {
    step,
    seed: 9,
    loss,
    dataOrder: {epoch: Math.floor(step / 10), offset: (step % 10) * 64},
    files: [
      {
        role: 'model-weights',
        bytes: weights,
        tensors: [
          {name: 'w', dtype: 'float32', shape: [16], byteOffset: 0,
            byteLength: 64},
        ],
      },
      {
        role: 'optimizer-state',
        bytes: new Uint8Array([step % 256, 0, 0, 0]),
        tensors: [
          {name: 'iterations', dtype: 'int32', shape: [], byteOffset: 0,
            byteLength: 4},
        ],
      },
    ],
  };
}

describe('checkpoint store', () => {
  let jobDir: string;

  beforeEach(async () => {
    jobDir = await mkdtemp(path.join(tmpdir(), 'checkpoint-store-'));
  });

  afterEach(async () => {
    await rm(jobDir, {recursive: true, force: true});
  });

  it('writes checksummed data files and a manifest named by step', async () => {
    const written = await writeCheckpoint(jobDir, recordAt(12));
    const {manifestPath, manifest} = written;
    assert.equal(path.basename(manifestPath), 'checkpoint-000000012.json');
    assert.equal(manifest.step, 12);
    assert.deepEqual(manifest.dataOrder, {epoch: 1, offset: 128});
    const names = await readdir(jobDir);
    for (const file of manifest.files) {
      assert.ok(names.includes(file.fileName), file.fileName);
      const bytes = await readCheckpointFile(jobDir, file);
      assert.equal(bytes.byteLength, file.byteLength);
    }
    assert.deepEqual(names.filter((name) => name.startsWith('.tmp-')), []);
  });

  it('resumes from the highest step, not the newest file', async () => {
    for (const step of [600, 31200, 62400, 46800]) {
      await writeCheckpoint(jobDir, recordAt(step));
    }
    // The low-step manifest is the most recently modified, as in C16.
    const newest = new Date('2030-01-01T00:00:00Z');
    await utimes(path.join(jobDir, manifestFileName(600)), newest, newest);
    const latest = await findLatestValidCheckpoint(jobDir);
    assert.equal(latest?.manifest.step, 62400);
  });

  it('lists every checkpoint ascending by step and deletes none', async () => {
    for (const step of [20, 10, 30]) {
      await writeCheckpoint(jobDir, recordAt(step));
    }
    const before = (await readdir(jobDir)).sort();
    const listings = await listCheckpoints(jobDir);
    await findLatestValidCheckpoint(jobDir);
    assert.deepEqual(listings.map((listing) => listing.step), [10, 20, 30]);
    assert.ok(listings.every((listing) => listing.problem === null));
    assert.deepEqual((await readdir(jobDir)).sort(), before);
    assert.equal(before.length, 9);
  });

  it('ignores data files whose manifest was never written', async () => {
    await writeCheckpoint(jobDir, recordAt(10));
    const torn = await writeCheckpoint(jobDir, recordAt(20));
    await rm(torn.manifestPath);
    const latest = await findLatestValidCheckpoint(jobDir);
    assert.equal(latest?.manifest.step, 10);
  });

  const corruptions: {
    name: string;
    damage: (jobDir: string, manifestPath: string) => Promise<void>;
    problem: RegExp;
  }[] = [
    {
      name: 'a data file with other bytes',
      damage: async (directory, manifestPath) => {
        const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
        const target = path.join(directory, manifest.files[0].fileName);
        const bytes = await readFile(target);
        bytes[3] = (bytes[3] ?? 0) ^ 0xff;
        await writeFile(target, bytes);
      },
      problem: /sha256/,
    },
    {
      name: 'a truncated data file',
      damage: async (directory, manifestPath) => {
        const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
        const target = path.join(directory, manifest.files[1].fileName);
        await writeFile(target, new Uint8Array(2));
      },
      problem: /has 2 bytes/,
    },
    {
      name: 'a missing data file',
      damage: async (directory, manifestPath) => {
        const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
        await rm(path.join(directory, manifest.files[0].fileName));
      },
      problem: /not readable/,
    },
    {
      name: 'a manifest cut short',
      damage: async (_directory, manifestPath) => {
        const text = await readFile(manifestPath, 'utf8');
        await writeFile(manifestPath, text.slice(0, 40));
      },
      problem: /not readable JSON/,
    },
    {
      name: 'a manifest whose step disagrees with its name',
      damage: async (_directory, manifestPath) => {
        const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
        await writeFile(manifestPath, JSON.stringify({...manifest, step: 21}));
      },
      problem: /disagrees with its name/,
    },
  ];
  for (const corruption of corruptions) {
    it(`skips ${corruption.name} for the highest valid one`, async () => {
      await writeCheckpoint(jobDir, recordAt(10));
      const damaged = await writeCheckpoint(jobDir, recordAt(20));
      await corruption.damage(jobDir, damaged.manifestPath);
      const skipped: CheckpointListing[] = [];
      const latest = await findLatestValidCheckpoint(jobDir, (listing) =>
        skipped.push(listing),
      );
      assert.equal(latest?.manifest.step, 10);
      assert.equal(skipped.length, 1);
      assert.match(skipped[0]?.problem ?? '', corruption.problem);
    });
  }

  it('finds nothing in a directory that does not exist', async () => {
    const missing = path.join(jobDir, 'never-created');
    assert.equal(await findLatestValidCheckpoint(missing), null);
    assert.deepEqual(await listCheckpoints(missing), []);
  });

  it('keeps an older manifest valid when a step is written again', async () => {
    const first = await writeCheckpoint(jobDir, recordAt(10, 0.5));
    const changed = recordAt(10, 0.4);
    const bytes = changed.files[0]?.bytes;
    if (bytes) bytes[0] = 99;
    await writeCheckpoint(jobDir, changed);
    const listings = await listCheckpoints(jobDir);
    assert.equal(listings.length, 1);
    assert.equal(listings[0]?.problem, null);
    assert.equal(listings[0]?.manifest?.loss, 0.4);
    // The first manifest's data file is still there, untouched.
    const firstFile = first.manifest.files[0];
    assert.ok(firstFile);
    await readCheckpointFile(jobDir, firstFile);
  });
});
