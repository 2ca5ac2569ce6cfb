import type { KataEventRecord, KataTaskRecord } from '../../domain/kata-task';
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
  /** Where this task's reading of KATA's events stopped. */
  private kataSeq = 0;

  constructor(
    private readonly upstreams: () => Upstreams,
    private readonly task: TaskNode,
    options: PollingFeedOptions,
    /** KATA tasks: the events API tells when the task changed; it is read only then. */
    private readonly kataEvents?: PollingFeed<KataEventRecord>,
  ) {
    super(options);
    // A KATA task as the first subscriber found it is the baseline (KATA moves a task on as it is read).
    if (task.upstream === 'KATA') this.last = kataSignature(task as KataTaskRecord);
  }

  /** Whether the feed has read the task once: changes from here on are delivered. */
  get hasBaseline(): boolean {
    return this.last !== undefined;
  }

  override acquire(): () => void {
    const release = super.acquire();
    const releaseEvents = this.kataEvents?.acquire();
    return () => {
      release();
      releaseEvents?.();
    };
  }

  protected async poll(): Promise<void> {
    const up = this.upstreams();
    let now: TaskNode | null;
    let signature: string;
    // The baseline waits for the events feed's first token, so no change falls between the two.
    if (this.kataEvents && this.kataEvents.completedPolls === 0) return;
    if (this.task.upstream === 'KATA' && this.kataEvents && this.last !== undefined) {
      const seen = this.kataEvents.log.entriesAfter(this.kataSeq);
      this.kataSeq = seen.at(-1)?.seq ?? this.kataSeq;
      const id = this.task.taskId.toLowerCase();
      if (!seen.some((e) => e.change.taskId?.toLowerCase() === id)) return;
    }
    if (this.task.upstream === 'KSC') {
      const ksc = up.ksc!;
      const [task, stats] = await Promise.all([ksc.task(this.task.taskId), ksc.taskStatistics(this.task.taskId)]);
      now = task && asNode('KscTask', task);
      signature = stateOf(stats);
    } else {
      const task = await up.kata!.getTask(this.task.taskId);
      now = task && asNode('KataTask', task);
      signature = task ? kataSignature(task) : 'gone';
    }
    const first = this.last === undefined;
    if (signature === this.last) return;
    this.last = signature;
    // The first look sets the baseline: subscribers hear of changes, and read the state by query.
    if (now && !first) this.log.append(now);
  }
}

function kataSignature(task: KataTaskRecord): string {
  return `${task.state}/${task.vendorState}`;
}

function stateOf(stats: TaskStatisticsRecord): string {
  return `${stats.state}/${stats.vendorState}/${stats.completedPercent}/${JSON.stringify(stats.hostCountsByState)}`;
}
