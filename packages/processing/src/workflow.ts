import { glueSchedule } from './glue-schedule';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { GlueTrigger, GlueTriggerActions, GlueTriggerPredicateConditions } from '@cdktf/provider-aws/lib/glue-trigger';
import { GlueWorkflow as GlueWorkflowResource } from '@cdktf/provider-aws/lib/glue-workflow';
import {
  DATASET_NAME_FIX,
  DATASET_NAME_RE,
  JOB_ZONES,
  NAME_LIMITS,
  PlatformStack,
  ServiceRole,
  Validator,
  WorkflowConfig,
  describeValue,
} from '@data-platform/core';
import { DataLake } from '@data-platform/lake';

/** Fixed settings of every workflow. */
export const GLUE_WORKFLOW = {
  /**
   * Runs of one workflow never overlap: two runs would write the same targets at once. Objects
   * that land during a run are picked up by the next one (jobs read new data by their bookmarks,
   * not by the keys of the events that started the run).
   */
  maxConcurrentRuns: 1,
  /**
   * An event-started workflow (`onNewObjects`) starts when this many objects have landed (the
   * most Glue allows, 100) ...
   */
  eventBatchSize: 100,
  /**
   * ... or this many seconds after the first of them (the most Glue allows, 900 s = 15 min),
   * whichever comes first: a burst of files starts one run, not one run per file.
   */
  eventBatchWindowSeconds: 900,
  /** Glue runs schedules at most this often (minutes). */
  minScheduleMinutes: 5,
} as const;

/** Longest description Glue takes for a workflow or trigger. */
const DESCRIPTION_LENGTH = 2048;

/** `text`, cut to a description Glue takes (a long list of steps would not fit). */
const description = (text: string) => (text.length <= DESCRIPTION_LENGTH ? text : `${text.slice(0, DESCRIPTION_LENGTH - 3)}...`);

/** Same shape as the config loader's prefixes: the prefix ends up in an event pattern. */
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;

/** Something a step names: a Glue job or crawler, by its physical name. */
export interface WorkflowMember {
  /** The job's or crawler's name in Glue. */
  readonly name: string;
}

/** Props of {@link GlueWorkflow}. */
export interface GlueWorkflowProps {
  /** The lake; `config.onNewObjects` names one of its zones. */
  readonly lake: DataLake;
  /** Workflow name (the key under `processing.workflows`): part of the names of its resources. */
  readonly name: string;
  /** The workflow's `processing.workflows` entry (validated and defaulted by the config loader). */
  readonly config: WorkflowConfig;
  /**
   * The jobs the steps name, by their key under `processing.jobs` (the caller resolves them);
   * entries no step names are ignored.
   */
  readonly jobs: Readonly<Record<string, WorkflowMember>>;
  /** The crawlers the steps name, by their key under `processing.crawlers`. */
  readonly crawlers: Readonly<Record<string, WorkflowMember>>;
}

/** A step of a workflow, its kind and key resolved. */
interface Step {
  readonly kind: 'job' | 'crawler';
  /** Key under `processing.jobs` / `processing.crawlers`. */
  readonly key: string;
  readonly after: readonly string[];
  /** Index in `config.steps`, for messages. */
  readonly index: number;
}


/**
 * A Glue workflow: jobs and crawlers run in the order of their `after` lists, started by a
 * schedule or by new objects in a lake zone (a run can also be started by hand:
 * `aws glue start-workflow-run --name <workflow>`).
 *
 * - The workflow (`<project>-<env>-processing-<name>`) runs at most
 *   {@link GLUE_WORKFLOW.maxConcurrentRuns} run at a time.
 * - One start trigger, `<...>-<name>-start`, starts every step without `after`. Glue allows a
 *   workflow exactly one, so exactly one of `schedule` and `onNewObjects` is set:
 *   - `schedule`: a SCHEDULED trigger with the schedule as Glue's cron (see {@link glueSchedule});
 *   - `onNewObjects`: an EVENT trigger with a batching condition
 *     ({@link GLUE_WORKFLOW.eventBatchSize} objects or {@link GLUE_WORKFLOW.eventBatchWindowSeconds}
 *     seconds), fed by an EventBridge rule on the "Object Created" events of the zone's bucket
 *     (zone buckets send their events to EventBridge) under the prefix. The rule's target is the
 *     workflow (`arn:<partition>:glue:<region>:<account>:workflow/<name>`), called with a role
 *     EventBridge assumes that may only `glue:notifyEvent` that workflow. Glue neither guarantees
 *     delivery nor removes duplicates; jobs keep track of what they processed by their bookmarks.
 * - Each step with `after` gets a CONDITIONAL trigger, `<...>-<name>-<job|crawler>-<key>`, that
 *   runs it once every step it names has SUCCEEDED (in the same run), one condition per step.
 * - Triggers are created one after another (each depends on the previous): Glue rejects concurrent
 *   changes to one workflow (ConcurrentModificationException), on create and on delete.
 *
 * Jobs and crawlers of a workflow should be started only by it: a trigger outside the workflow
 * that starts one of them does not fire the workflow's conditional triggers.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/workflows_overview.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/starting-workflow-eventbridge.html
 * @see https://github.com/hashicorp/terraform-provider-aws/issues/21759
 */
export class GlueWorkflow extends Construct {
  /** The Glue workflow. */
  readonly workflow: GlueWorkflowResource;
  /** Physical name of the workflow. */
  readonly name: string;
  /** ARN of the workflow, built from its name (known at plan time). */
  readonly arn: string;
  /** The start trigger (SCHEDULED or EVENT). */
  readonly startTrigger: GlueTrigger;
  /** Every trigger: the start trigger first, then one per step with `after`, in step order. */
  readonly triggers: readonly GlueTrigger[];
  /** With `onNewObjects`: the EventBridge rule matching the new objects. */
  readonly rule?: CloudwatchEventRule;
  /** With `onNewObjects`: the role EventBridge assumes to notify the workflow. */
  readonly eventsRole?: ServiceRole;

  constructor(scope: Construct, id: string, props: GlueWorkflowProps) {
    super(scope, id);
    const { lake, name, config } = props;
    const v = new Validator(`GlueWorkflow ${this.node.path}`);
    const steps = checkProps(v, props);
    const schedule = checkStart(v, config);
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    const { env } = stack;
    const physical = (suffix: string) => stack.resourceName('processing', suffix, { maxLength: NAME_LIMITS.default });
    const member = (step: Step) => (step.kind === 'job' ? props.jobs : props.crawlers)[step.key].name;

    this.name = physical(name);
    this.arn = `arn:${stack.partition}:glue:${env.region}:${env.account}:workflow/${this.name}`;
    this.workflow = new GlueWorkflowResource(this, 'workflow', {
      name: this.name,
      description: description(`Workflow ${name} of ${env.project}-${env.name}: ${steps.map((s) => `${s.kind} ${s.key}`).join(', ')}`),
      maxConcurrentRuns: GLUE_WORKFLOW.maxConcurrentRuns,
    });

    const action = (step: Step): GlueTriggerActions => (step.kind === 'job' ? { jobName: member(step) } : { crawlerName: member(step) });
    const first = steps.filter((s) => s.after.length === 0);
    const starts = first.map((s) => `${s.kind} ${s.key}`).join(', ');
    // `enabled` (default true) has the provider activate a SCHEDULED trigger when it creates it.
    const start = config.onNewObjects
      ? {
          type: 'EVENT',
          description: description(`Starts ${starts} when objects land under ${config.onNewObjects.zone}/${config.onNewObjects.prefix}`),
          eventBatchingCondition: [{ batchSize: GLUE_WORKFLOW.eventBatchSize, batchWindow: GLUE_WORKFLOW.eventBatchWindowSeconds }],
        }
      : { type: 'SCHEDULED', description: description(`Starts ${starts} on ${schedule} (UTC)`), schedule };
    this.startTrigger = new GlueTrigger(this, 'start', {
      name: physical(`${name}-start`),
      workflowName: this.workflow.name,
      actions: first.map(action),
      ...start,
    });

    const triggers = [this.startTrigger];
    for (const step of steps.filter((s) => s.after.length > 0)) {
      const waits = step.after.map((key) => steps.find((s) => s.key === key)!);
      const conditions = waits.map(
        (s): GlueTriggerPredicateConditions =>
          s.kind === 'job'
            ? { jobName: member(s), state: 'SUCCEEDED', logicalOperator: 'EQUALS' }
            : { crawlerName: member(s), crawlState: 'SUCCEEDED', logicalOperator: 'EQUALS' },
      );
      triggers.push(
        new GlueTrigger(this, `${step.kind}-${step.key}`, {
          name: physical(`${name}-${step.kind}-${step.key}`),
          workflowName: this.workflow.name,
          type: 'CONDITIONAL',
          description: description(`Runs ${step.kind} ${step.key} after ${waits.map((s) => `${s.kind} ${s.key}`).join(' and ')} succeeded`),
          predicate: { logical: conditions.length === 1 ? 'ANY' : 'AND', conditions },
          actions: [action(step)],
          // One change to the workflow at a time (see the class comment).
          dependsOn: [triggers[triggers.length - 1]],
        }),
      );
    }
    this.triggers = triggers;

    if (config.onNewObjects) {
      const { zone, prefix } = config.onNewObjects;
      this.rule = new CloudwatchEventRule(this, 'new-objects', {
        name: physical(`${name}-new-objects`),
        description: `New objects under ${zone}/${prefix}: start workflow ${name}`,
        eventPattern: JSON.stringify({
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: { bucket: { name: [lake.zones[zone].name] }, object: { key: [{ prefix }] } },
        }),
        state: 'ENABLED',
      });
      this.eventsRole = new ServiceRole(this, 'events-role', {
        layer: 'processing',
        service: 'events.amazonaws.com',
        name: `${name}-workflow-events`,
        description: `EventBridge notifies workflow ${name} of new objects (${env.project}-${env.name})`,
      });
      const notify = this.eventsRole.allow('notify-workflow', [
        { sid: 'NotifyWorkflow', effect: 'Allow', actions: ['glue:notifyEvent'], resources: [this.arn] },
      ]);
      new CloudwatchEventTarget(this, 'target', {
        rule: this.rule.name,
        targetId: 'workflow',
        arn: this.arn,
        roleArn: this.eventsRole.arn,
        // Events reach the workflow once its EVENT trigger exists and the role may notify it.
        dependsOn: [this.startTrigger, notify],
      });
    }
  }
}

/** Checks the name and the steps; returns the steps, resolved. */
function checkProps(v: Validator, props: GlueWorkflowProps): Step[] {
  const { name, config } = props;
  if (!Token.isUnresolved(name)) v.check(DATASET_NAME_RE.test(name), 'name', `is ${describeValue(name)}; ${DATASET_NAME_FIX}`);
  if (!Array.isArray(config.steps) || config.steps.length === 0) {
    v.add('steps', 'is empty; list at least one step, e.g. { job: <name> }');
    return [];
  }

  const steps: Step[] = config.steps.map((raw, index) => {
    const step = raw as { job?: string; crawler?: string; after?: string[] };
    const kind = step.job !== undefined ? 'job' : 'crawler';
    return { kind, key: String(step.job ?? step.crawler), after: step.after ?? [], index };
  });
  const seen = new Map<string, number>();
  for (const step of steps) {
    const path = `steps[${step.index}]`;
    const raw = config.steps[step.index] as { job?: string; crawler?: string };
    if ((raw.job === undefined) === (raw.crawler === undefined)) {
      v.add(path, 'names both a job and a crawler, or neither; use { job: <name> } or { crawler: <name> }');
      continue;
    }
    const known = step.kind === 'job' ? props.jobs : props.crawlers;
    if (!Object.hasOwn(known, step.key)) {
      const names = Object.keys(known);
      v.add(`${path}.${step.kind}`, `is ${describeValue(step.key)}, which is not among the ${step.kind}s given (${names.join(', ') || 'none'}); add it to processing.${step.kind}s or fix the name`);
    }
    const id = `${step.kind}:${step.key}`;
    const earlier = seen.get(id);
    if (earlier !== undefined) v.add(path, `repeats ${step.kind} ${describeValue(step.key)} (steps[${earlier}]); list each job and crawler once`);
    else seen.set(id, step.index);
  }

  for (const step of steps) {
    step.after.forEach((key, i) => {
      const path = `steps[${step.index}].after[${i}]`;
      const named = steps.filter((s) => s.key === key);
      if (named.length === 0) {
        v.add(path, `is ${describeValue(key)}, which is not a step of this workflow (${steps.map((s) => s.key).join(', ')}); name a job or crawler listed in steps`);
      } else if (named.length > 1 && new Set(named.map((s) => s.kind)).size > 1) {
        v.add(path, `is ${describeValue(key)}, the name of both a job and a crawler of this workflow; rename one of them`);
      } else if (named[0].index === step.index) {
        v.add(path, `is the step itself; a step cannot wait for itself`);
      } else if (step.after.indexOf(key) !== i) {
        v.add(path, `repeats ${describeValue(key)}; name each step once`);
      }
    });
  }
  if (v.count === 0) {
    const cycle = findCycle(steps);
    if (cycle) v.add('steps', `wait for each other in a cycle (${cycle.join(' -> ')}), so none of them would ever run; remove one of these "after" entries`);
  }
  return steps;
}

/** Checks the start of the workflow; returns the Glue cron of its schedule, if it has one. */
function checkStart(v: Validator, config: WorkflowConfig): string | undefined {
  if (config.schedule !== undefined && config.onNewObjects !== undefined) {
    v.add('', 'has both schedule and onNewObjects, but a Glue workflow has exactly one start trigger; keep onNewObjects to run when data lands, or schedule to run at fixed times');
  } else if (config.schedule === undefined && config.onNewObjects === undefined) {
    v.add('', 'has neither schedule nor onNewObjects; add one so something starts it');
  }
  let cron: string | undefined;
  if (config.schedule !== undefined && !Token.isUnresolved(config.schedule)) {
    const converted = glueSchedule(config.schedule);
    if (converted.problem !== undefined) v.add('schedule', `is ${describeValue(config.schedule)}; ${converted.problem}`);
    cron = converted.cron;
  } else {
    cron = config.schedule;
  }
  const location = config.onNewObjects;
  if (location) {
    v.check((JOB_ZONES as readonly string[]).includes(location.zone), 'onNewObjects.zone', `is ${describeValue(location.zone)}; use one of ${JOB_ZONES.join(', ')}`);
    if (!Token.isUnresolved(location.prefix)) {
      v.check(
        PREFIX_RE.test(location.prefix),
        'onNewObjects.prefix',
        `is ${describeValue(location.prefix)}; use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")`,
      );
    }
  }
  return cron;
}

/** A cycle of `after` references (`a -> b -> a`, by step key), if any. */
function findCycle(steps: readonly Step[]): string[] | undefined {
  const state = new Map<Step, 'visiting' | 'done'>();
  const path: Step[] = [];
  const visit = (step: Step): string[] | undefined => {
    if (state.get(step) === 'done') return undefined;
    if (state.get(step) === 'visiting') return [...path.slice(path.indexOf(step)), step].map((s) => s.key);
    state.set(step, 'visiting');
    path.push(step);
    for (const key of step.after) {
      const found = visit(steps.find((s) => s.key === key)!);
      if (found) return found;
    }
    path.pop();
    state.set(step, 'done');
    return undefined;
  };
  for (const step of steps) {
    const found = visit(step);
    if (found) return found;
  }
  return undefined;
}
