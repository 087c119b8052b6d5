import assert from 'node:assert/strict';
import type {protos} from '@google-cloud/workflows';
import {sanitizeLabelValue} from '../../../adapters/vertex/job-labels.js';
import {createWorkflowsLifecycleStarter} from
  '../../../adapters/workflows/workflows-lifecycle-starter.js';
import type {
  ExecutionsClientLike,
  ListExecutionsRequest,
} from '../../../adapters/workflows/workflows-lifecycle-starter.js';
import type {LifecycleArguments} from
  '../../../shared/ports/lifecycle-starter.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';

type Execution = protos.google.cloud.workflows.executions.v1.IExecution;

const PARENT = 'projects/p/locations/europe-west4/workflows/lifecycle';
// An id that sanitisation changes: upper case, `/` and `#`.
const AWKWARD_JOB_ID = 'Team/Run#7';

// ListExecutions answering from fixed pages keyed by page token; each
// call is recorded with its options. The pages hold what the service
// would not return too (a SUCCEEDED one, one without the job label), so
// the adapter's own checks are exercised.
class PagedExecutionsStandIn implements ExecutionsClientLike {
  readonly lists: {request: ListExecutionsRequest;
    options: {autoPaginate?: boolean} | undefined}[] = [];
  readonly creates: Execution[] = [];
  failOnToken: string | null = null;

  constructor(
    readonly pages: Record<string, {executions: Execution[];
      nextPageToken?: string}>,
  ) {}

  async createExecution(request: {parent: string; execution: Execution}) {
    const created = {...request.execution, state: 'ACTIVE' as const,
      name: `${request.parent}/executions/e-${this.creates.length + 1}`};
    this.creates.push(created);
    return [created] as const;
  }

  async listExecutions(
    request: ListExecutionsRequest,
    options?: {autoPaginate?: boolean},
  ) {
    this.lists.push({request, options});
    const token = request.pageToken ?? '';
    if (token === this.failOnToken) {
      throw Object.assign(new Error('unavailable'), {code: 14});
    }
    const page = this.pages[token] ?? {executions: this.creates};
    return [page.executions, null,
      {nextPageToken: page.nextPageToken ?? ''}] as const;
  }
}

function execution(id: string, state: Execution['state'],
  labels: Record<string, string> | undefined,
  argument?: object): Execution {
  return {name: `${PARENT}/executions/${id}`, state, labels,
    ...(argument ? {argument: JSON.stringify(argument)} : {})};
}

function starter(client: ExecutionsClientLike,
  logger = createMemoryLogger()) {
  return createWorkflowsLifecycleStarter({project: 'p',
    location: 'europe-west4', workflow: 'lifecycle', client, logger});
}

const label = (jobId: string) => ({'carbon-job-id': sanitizeLabelValue(jobId)});

describe('Workflows lifecycle starter listLive (executions client ' +
    'stand-in)', () => {
  const twoPages = () => new PagedExecutionsStandIn({
    '': {nextPageToken: 'page-2', executions: [
      execution('a', 'ACTIVE', label('j-1'), {jobId: 'j-1'}),
      execution('b', 'SUCCEEDED', label('j-2'), {jobId: 'j-2'}),
      execution('c', 'ACTIVE', undefined, {jobId: 'j-3'}),
    ]},
    'page-2': {executions: [
      execution('d', 6, label(AWKWARD_JOB_ID), {jobId: AWKWARD_JOB_ID}),
      execution('e', 'QUEUED', label('j-5'), {jobId: 'j-5'}),
      execution('f', 1, label('j-6'), {jobId: 'j-6'}),
    ]},
  });

  it('maps the live labelled executions of every page to their jobs',
    async () => {
      const listed = await starter(twoPages()).listLive!();
      assert.deepEqual(listed, [
        {jobId: 'j-1', executionName: `${PARENT}/executions/a`,
          state: 'ACTIVE'},
        {jobId: AWKWARD_JOB_ID, executionName: `${PARENT}/executions/d`,
          state: 'QUEUED'},
        {jobId: 'j-5', executionName: `${PARENT}/executions/e`,
          state: 'QUEUED'},
        {jobId: 'j-6', executionName: `${PARENT}/executions/f`,
          state: 'ACTIVE'},
      ]);
    });

  it('asks for live executions in the FULL view, one page at a time, ' +
      'following the page token', async () => {
    const client = twoPages();
    await starter(client).listLive!();
    assert.equal(client.lists.length, 2);
    for (const {request, options} of client.lists) {
      assert.equal(request.parent, PARENT);
      assert.equal(request.filter, 'state="ACTIVE" OR state="QUEUED"');
      assert.equal(request.view, 'FULL');
      assert.equal(request.pageSize, 100);
      assert.deepEqual(options, {autoPaginate: false});
    }
    assert.equal(client.lists[0]!.request.pageToken, undefined);
    assert.equal(client.lists[1]!.request.pageToken, 'page-2');
  });

  it('recovers a job id that sanitisation changed from the argument of ' +
      'the execution start created', async () => {
    assert.notEqual(sanitizeLabelValue(AWKWARD_JOB_ID), AWKWARD_JOB_ID);
    const client = new PagedExecutionsStandIn({});
    const lifecycle = starter(client);
    const argument: LifecycleArguments = {jobId: AWKWARD_JOB_ID,
      project: 'p', pollSeconds: 900, maxMonitorPolls: 40,
      replanIfWaitOverSeconds: 21_600};
    const {executionName} = await lifecycle.start(argument);
    assert.deepEqual(await lifecycle.listLive!(),
      [{jobId: AWKWARD_JOB_ID, executionName, state: 'ACTIVE'}]);
  });

  it('falls back to the label, with a warning, when the argument names ' +
      'no matching job', async () => {
    const logger = createMemoryLogger();
    const client = new PagedExecutionsStandIn({'': {executions: [
      execution('g', 'ACTIVE', {'carbon-job-id': 'j-7'}),
      execution('h', 'ACTIVE', {'carbon-job-id': 'j-8'}, {jobId: 'j-9'}),
    ]}});
    const listed = await starter(client, logger).listLive!();
    assert.deepEqual(listed.map((entry) => entry.jobId), ['j-7', 'j-8']);
    assert.equal(logger.entries.filter((entry) =>
      entry.severity === 'WARNING').length, 2);
  });

  it('fails when a later page cannot be listed, rather than answer a ' +
      'partial list', async () => {
    const client = twoPages();
    client.failOnToken = 'page-2';
    await assert.rejects(starter(client).listLive!(), /unavailable/);
  });
});
