// The background's runtime-message router, kept free of browser globals so node tests can drive it.
// Content scripts may only queue events for their own platform; everything else is for extension pages.
import { askHostForDashboard } from '../popup/data.js';

const QUERY_TYPES = new Set(['ping', 'query.summary', 'query.balance_history', 'query.events', 'query.alerts',
  'alert.ack', 'config.get', 'config.set', 'export']);

export async function handleMessage(msg, ctx) {
  if (!msg || typeof msg !== 'object') throw new Error('bad message');
  switch (msg.kind) {
    case 'event': {
      // From a content script: the platform must be the one of the page that sent it.
      const profile = ctx.senderHost ? ctx.profileForHost(ctx.senderHost) : null;
      if (!ctx.fromExtensionPage && (!profile || !msg.event || msg.event.platform !== profile.platform)) {
        throw new Error('event from an unexpected page');
      }
      const event = ctx.sanitizeEvent(msg.event);
      const q = await ctx.queue();
      const stored = await q.enqueue(event);
      ctx.getLink(); // pump (connects if needed); not awaited
      return { ok: true, stored, id: event.id };
    }
    default:
      break;
  }
  if (!ctx.fromExtensionPage) throw new Error('not allowed from a web page');
  switch (msg.kind) {
    case 'manual': {
      const event = ctx.makeEvent(msg.type, msg.fields || {});
      const q = await ctx.queue();
      await q.enqueue(event);
      ctx.getLink();
      return { ok: true, id: event.id, event };
    }
    case 'status': {
      const q = await ctx.queue();
      const link = await ctx.getLink();
      const [queued, oldest, rejected] = await Promise.all([q.count(), q.oldest(), q.rejected()]);
      const state = await link.settledState();
      return {
        ok: true, link: state, queued,
        oldest_queued_at: oldest ? oldest.queued_at : null,
        oldest_error: oldest ? oldest.last_error || null : null,
        rejected: rejected.length,
      };
    }
    case 'host': {
      if (!msg.body || !QUERY_TYPES.has(msg.body.type)) throw new Error('not a query');
      const link = await ctx.getLink();
      const reply = await askHost(link, msg.body);
      if (msg.body.type === 'alert.ack' && reply.ok && ctx.onAcked) ctx.onAcked();
      return reply;
    }
    case 'dashboard': {
      // Everything the popup shows of the host's data, in one runtime message (popup/data.js).
      if (typeof msg.since !== 'string') throw new Error('dashboard needs since');
      const link = await ctx.getLink();
      return { ok: true, ...(await askHostForDashboard((body) => askHost(link, body), msg.since)) };
    }
    case 'rejected.list': {
      const q = await ctx.queue();
      return { ok: true, rejected: await q.rejected() };
    }
    case 'rejected.retry': {
      const q = await ctx.queue();
      const done = await q.retryRejected(String(msg.id));
      ctx.getLink();
      return { ok: done };
    }
    case 'focus.take': {
      const got = await ctx.storage.get('focusAlert');
      await ctx.storage.remove('focusAlert');
      return { ok: true, alert_id: got.focusAlert ?? null };
    }
    default:
      throw new Error(`unknown kind ${msg.kind}`);
  }
}

// The host's reply, or the reason it could not answer as a reply of the same shape.
async function askHost(link, body) {
  try {
    return await link.request(body);
  } catch (e) {
    return { ok: false, error: { code: e.code || 'host_unavailable', message: String(e.message || e) } };
  }
}
