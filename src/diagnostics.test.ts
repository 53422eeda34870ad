import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTaskTable, formatTaskTree, taskTable } from './diagnostics.ts';
import { runSync } from './runners.ts';
import { createTask, currentTask, sleep } from './tasks.ts';
import { taskGroup } from './taskgroups.ts';
import { Event } from './locks.ts';

describe('taskTable / formatTaskTable / formatTaskTree', () => {
  test('inside a running program: the table and the await tree through a TaskGroup', () => {
    runSync(function* () {
      currentTask()?.setName('main');
      const stop = new Event();
      const observer = createTask(
        (function* () {
          yield* sleep(5);
          try {
          const rows = taskTable();
          const me = rows.find((r) => r.name === 'observer');
          assert.equal(me?.state, 'running');
          assert.equal(rows.find((r) => r.name === 'main')?.awaits, "TaskGroup exit waiting for 2 children: Task 'w1', Task 'w2'");
          assert.deepEqual(rows.find((r) => r.name === 'w1')?.awaitedBy, ['main']);
          assert.equal(
            formatTaskTable(rows.filter((r) => r.name !== 'observer')),
            [
              'loop  task  state    age  awaits                                                       awaited by',
              '----  ----  -------  ---  -----------------------------------------------------------  ----------',
              "1     main  pending  -    TaskGroup exit waiting for 2 children: Task 'w1', Task 'w2'  -",
              '1     w1    pending  -    Event.wait() on <Event [unset, waiters:2]>                   main',
              '1     w2    pending  -    Event.wait() on <Event [unset, waiters:2]>                   main',
            ].join('\n'),
          );
          assert.equal(
            formatTaskTree(),
            [
              "(T) main ← TaskGroup exit waiting for 2 children: Task 'w1', Task 'w2'",
              '├── (T) w1 ← Event.wait() on <Event [unset, waiters:2]>',
              '└── (T) w2 ← Event.wait() on <Event [unset, waiters:2]>',
              '(T) observer',
            ].join('\n'),
          );
          } finally {
            stop.set(); // a failed assertion must not leave the program stuck
          }
        })(),
        { name: 'observer' },
      );
      yield* taskGroup(function* (tg) {
        tg.createTask(stop.wait(), { name: 'w1' });
        tg.createTask(stop.wait(), { name: 'w2' });
      });
      yield* observer;
    });
  });

  test('in debug mode each row has the task\'s age: loop time since it was created', () => {
    runSync(
      function* () {
        currentTask()?.setName('main');
        yield* sleep(1500);
        const young = createTask(sleep(10_000), { name: 'young' });
        yield* sleep(250);
        const rows = taskTable();
        assert.equal(rows.find((r) => r.name === 'main')?.age, 1750);
        assert.equal(rows.find((r) => r.name === 'young')?.age, 250);
        assert.deepEqual(
          formatTaskTable(rows).split('\n'),
          [
            'loop  task   state    age    awaits                      awaited by',
            '----  -----  -------  -----  --------------------------  ----------',
            '1     main   running  1.8s   -                           -',
            '1     young  pending  250ms  sleep(10000) until t=11500  -',
          ],
        );
        young.cancel();
      },
      { debug: true },
    );
  });

  test('no running loop: an empty table', () => {
    assert.deepEqual(taskTable(), []);
    assert.equal(formatTaskTree(), '');
  });
});
