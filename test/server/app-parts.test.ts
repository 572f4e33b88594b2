import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppParts } from '../../src/app-parts.ts';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import { isParleyError } from '../../src/core/errors.ts';
import type { Part, PartContext, PartFactory, PartRuntime } from '../../src/core/part.ts';
import type { AgentDesk } from '../../src/handoff/desk.ts';
import type { HandoffSystem } from '../../src/handoff/index.ts';

// These factories read nothing from the context; the channels' own parts are exercised through createApp in test/channels.
const context = {} as PartContext;
const runtime = {} as PartRuntime;

const sender = (id: string): ChannelAdapter => ({
  id,
  capabilities: { buttons: false, maxButtons: 0, maxTextLength: 100, markdown: false, media: false },
  send: async () => ({}),
});
const part = (fields: Part): PartFactory => () => fields;

describe('the parts of the app', () => {
  it('lists the channels of the parts that are on, in the order of the list', () => {
    const parts = new AppParts([part({ name: 'b', channel: sender('b') }), () => undefined, part({ name: 'a', channel: sender('a') }), part({ name: 'no channel' })], context);
    expect([...parts.channels.keys()]).toEqual(['b', 'a']);
    expect(parts.parts.map((p) => p.name)).toEqual(['b', 'a', 'no channel']);
  });

  it('refuses two parts sending on one channel', () => {
    let error: unknown;
    try {
      new AppParts([part({ name: 'first', channel: sender('web') }), part({ name: 'second', channel: sender('web') })], context);
    } catch (caught) {
      error = caught;
    }
    expect(isParleyError(error, 'CONFIG_INVALID')).toBe(true);
    expect(String(error)).toContain('second');
  });

  it("registers each part's routes in a scope of its own: one part's auth hook guards none of the others' routes", async () => {
    const http = Fastify();
    const parts = new AppParts([
      part({ name: 'guarded', routes: { register: async (scope) => {
        scope.addHook('onRequest', async (request, reply) => (request.headers.authorization === 'Bearer yes' ? undefined : reply.status(401).send({ error: 'no' })));
        scope.get('/guarded', async () => ({ ok: true }));
      } } }),
      part({ name: 'open', routes: { publicPrefixes: ['/open'], register: async (scope) => void scope.get('/open', async () => ({ ok: true })) } }),
    ], context);
    await parts.register(http, runtime);
    expect((await http.inject({ url: '/guarded' })).statusCode).toBe(401);
    expect((await http.inject({ url: '/guarded', headers: { authorization: 'Bearer yes' } })).statusCode).toBe(200);
    expect((await http.inject({ url: '/open' })).statusCode).toBe(200);
    expect(parts.publicPrefixes).toEqual(['/open']);
    await http.close();
  });

  it('starts the parts in the order of the list, stops them in the same order, and closes them after', async () => {
    const calls: string[] = [];
    const named = (name: string) => part({
      name, start: () => void calls.push(`start ${name}`), stop: async () => void calls.push(`stop ${name}`), close: async () => void calls.push(`close ${name}`),
    });
    const parts = new AppParts([named('a'), named('b')], context);
    await parts.start(runtime);
    await parts.stop();
    await parts.close();
    expect(calls).toEqual(['start a', 'start b', 'stop a', 'stop b', 'close a', 'close b']);
  });

  it("hands one part's service to another when it is used, and refuses two parts offering the same one", async () => {
    const asked: string[] = [];
    const rating: PartFactory = () => ({ name: 'ratings', provides: { askRating: async () => true } });
    const handoff: PartFactory = ({ services }) => ({
      name: 'handoff',
      start: async () => void asked.push(String(await services.askRating?.({} as never, {} as never))),
    });
    const parts = new AppParts([handoff, rating], context);
    await parts.start(runtime);
    expect(asked).toEqual(['true']);
    expect(parts.services.channelEnabled?.('web')).toBe(false);
    let error: unknown;
    try {
      new AppParts([rating, rating], context);
    } catch (caught) {
      error = caught;
    }
    expect(isParleyError(error, 'CONFIG_INVALID')).toBe(true);
    expect(String(error)).toContain('askRating');
  });

  it('counts the handoff system staffed only when a desk that takes handoffs is wired, not one that follows them', () => {
    const desk = (id: string): AgentDesk => ({ id, announce: async () => {} });
    const wired = (factories: PartFactory[]) => {
      const added: string[] = [];
      let staffed = false;
      const system = { service: {}, addDesk: (d: AgentDesk, takes: boolean) => { added.push(d.id); staffed ||= takes; } } as unknown as HandoffSystem;
      new AppParts(factories, context).wireDesks(system);
      return { added, staffed };
    };
    expect(wired([part({ name: 'metrics', followers: () => [desk('metrics')] })])).toEqual({ added: ['metrics'], staffed: false });
    expect(wired([part({ name: 'metrics', followers: () => [desk('metrics')] }), part({ name: 'slack', desk: () => desk('slack') })]))
      .toEqual({ added: ['metrics', 'slack'], staffed: true });
  });

  it('composes the turn hooks in the order of the list, leaving out a part whose hooks are off', () => {
    const first = { committed: async () => {} };
    const second = { beforeCommit: () => {} };
    const parts = new AppParts([part({ name: 'a', hooks: second }), part({ name: 'off', hooks: undefined }), part({ name: 'b', hooks: first })], context);
    expect(parts.hooks).toStrictEqual([second, first]);
  });
});
