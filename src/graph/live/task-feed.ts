import type { KataTaskRecord } from '../../domain/kata-task';
import type { KscTaskRecord, TaskStatisticsRecord } from '../../domain/ksc';
import type { Upstreams } from '../../upstreams';
import { asNode } from '../node-id';
import { PollingFeed } from './polling-feed';
import type { PollingFeedOptions } from './polling-feed';

/** A task as the Task interface serves it, tagged with its GraphQL type. */
export type TaskNode = (KscTaskRecord | KataTaskRecord) & { __typename: string };

/**
 * One task's state, polled (KSC: GetTaskStatistics; KATA: the task itself) while someone follows
 * it: a change of state or progress is one entry. Neither vendor pushes task progress.
 */
export class TaskFeed extends PollingFeed<TaskNode> {
  private last: string | undefined;

  constructor(
    private readonly upstreams: () => Upstreams,
    private readonly task: TaskNode,
    options: PollingFeedOptions,
  ) {
    super(options);
  }

  protected async poll(): Promise<void> {
    const up = this.upstreams();
    let now: TaskNode | null;
    let signature: string;
    if (this.task.upstream === 'KSC') {
      const ksc = up.ksc!;
      const [task, stats] = await Promise.all([ksc.task(this.task.taskId), ksc.taskStatistics(this.task.taskId)]);
      now = task && asNode('KscTask', task);
      signature = stateOf(stats);
    } else {
      const task = await up.kata!.getTask(this.task.taskId);
      now = task && asNode('KataTask', task);
      signature = task ? `${task.state}/${task.vendorState}` : 'gone';
    }
    const first = this.last === undefined;
    if (signature === this.last) return;
    this.last = signature;
    // The first look sets the baseline: subscribers hear of changes, and read the state by query.
    if (now && !first) this.log.append(now);
  }
}

function stateOf(stats: TaskStatisticsRecord): string {
  return `${stats.state}/${stats.vendorState}/${stats.completedPercent}/${JSON.stringify(stats.hostCountsByState)}`;
}
