import assert from 'node:assert/strict';
import type {protos} from '@google-cloud/workflows';
import {encodeExecutionArgument} from
  '../../../adapters/workflows/execution-argument.js';
import {createWorkflowsLifecycleStarter} from
  '../../../adapters/workflows/workflows-lifecycle-starter.js';
import type {
  ExecutionsClientLike,
  ListExecutionsRequest,
} from '../../../adapters/workflows/workflows-lifecycle-starter.js';
import type {LifecycleArguments} from
  '../../../shared/ports/lifecycle-starter.js';

type Execution = protos.google.cloud.workflows.executions.v1.IExecution;

// createExecution and listExecutions over an in-memory list. As the
// service does, a list in the BASIC view leaves out labels and argument.
class ExecutionsStandIn implements ExecutionsClientLike {
  readonly executions: (Execution & {parent: string})[] = [];
  readonly creates: {parent: string; execution: Execution}[] = [];
  readonly lists: ListExecutionsRequest[] = [];

  async createExecution(request: {parent: string; execution: Execution}) {
    this.creates.push(request);
    const execution = {...request.execution, parent: request.parent,
      name: `${request.parent}/executions/e-${this.executions.length + 1}`,
      state: 'ACTIVE' as const};
    this.executions.push(execution);
    return [execution] as const;
  }

  async listExecutions(request: ListExecutionsRequest) {
    this.lists.push(request);
    return [this.executions
      .filter((execution) => execution.parent === request.parent)
      .map(({labels, argument, ...basic}) => request.view === 'FULL'
        ? {...basic, labels, argument}
        : basic)] as const;
  }
}

const argument: LifecycleArguments = {
  jobId: 'j-42', project: 'p', pollSeconds: 900, maxMonitorPolls: 400,
  replanIfWaitOverSeconds: 21_600,
};

describe('Workflows lifecycle starter (executions client stand-in)', () => {
  function starter(client: ExecutionsStandIn) {
    return createWorkflowsLifecycleStarter({project: 'p',
      location: 'europe-west4', workflow: 'lifecycle', client});
  }

  it('C27: sends the job as a JSON string that one JSON.parse turns back ' +
      'into the object', async () => {
    const client = new ExecutionsStandIn();
    await starter(client).start(argument);
    const sent = client.creates[0]!.execution.argument;
    assert.equal(typeof sent, 'string');
    const parsed: unknown = JSON.parse(sent!);
    assert.equal(typeof parsed, 'object');
    assert.deepEqual(parsed, argument);
  });

  it('labels the execution with the job id under the workflow', async () => {
    const client = new ExecutionsStandIn();
    const {executionName} = await starter(client).start(argument);
    assert.equal(client.creates[0]!.parent,
      'projects/p/locations/europe-west4/workflows/lifecycle');
    assert.deepEqual(client.creates[0]!.execution.labels,
      {'carbon-job-id': 'j-42'});
    assert.match(executionName, /\/executions\/e-1$/);
  });

  it('returns the active execution of the job instead of starting another',
    async () => {
      const client = new ExecutionsStandIn();
      const first = await starter(client).start(argument);
      const again = await starter(client).start(argument);
      assert.equal(again.executionName, first.executionName);
      assert.equal(client.creates.length, 1);
      assert.equal(client.lists[0]!.filter, 'labels.carbon-job-id="j-42"');
    });

  it('lists in the FULL view, since the BASIC view carries no labels to ' +
      'match', async () => {
    const client = new ExecutionsStandIn();
    await starter(client).start(argument);
    await starter(client).start(argument);
    assert.equal(client.lists[1]!.view, 'FULL');
    assert.equal(client.creates.length, 1);
  });

  it('starts a new execution once the earlier one has ended', async () => {
    const client = new ExecutionsStandIn();
    await starter(client).start(argument);
    client.executions[0]!.state = 'SUCCEEDED';
    await starter(client).start(argument);
    assert.equal(client.creates.length, 2);
  });

  it('does not take another job\'s execution', async () => {
    const client = new ExecutionsStandIn();
    await starter(client).start(argument);
    await starter(client).start({...argument, jobId: 'j-43'});
    assert.equal(client.creates.length, 2);
  });
});

describe('encodeExecutionArgument (C27)', () => {
  it('encodes the case\'s job exactly once', () => {
    const job = {jobId: 'j-42', startAt: '2025-03-01T21:00:00Z', gpuCount: 8,
      region: 'europe-west4'};
    const encoded = encodeExecutionArgument(job);
    assert.equal(encoded, '{"jobId":"j-42","startAt":"2025-03-01T21:00:00Z",' +
      '"gpuCount":8,"region":"europe-west4"}');
    const parsed = JSON.parse(encoded) as typeof job;
    assert.equal(parsed.gpuCount, 8);
    assert.equal(typeof parsed.gpuCount, 'number');
  });

  it('sends "{}" when there is no argument', () => {
    assert.equal(encodeExecutionArgument(undefined), '{}');
  });

  it('refuses an argument that is already a string, which would be ' +
      'encoded twice', () => {
    assert.throws(() => encodeExecutionArgument(JSON.stringify({a: 1})),
      /already a string/);
  });

  it('refuses an array, which the workflow cannot read as a map', () => {
    assert.throws(() => encodeExecutionArgument([1]), /an array/);
  });
});
