// The agent console. Everything the customer or the bot wrote is put on the page with textContent, never as HTML.
(() => {
  const $ = (id) => document.getElementById(id);
  const handoffs = new Map();
  let selected = null;
  let me = null;
  // The selected handoff's customer, as the link endpoint knows them (a link may merge them into another id).
  let customerId = null;

  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const waited = (since) => {
    const s = Math.max(0, Math.round((Date.now() - new Date(since).getTime()) / 1000));
    return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  };
  const api = async (path, body) => {
    const response = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status === 401) window.location.assign('/agent/login');
    const json = await response.json();
    if (!response.ok) throw new Error(json.error?.message ?? `error ${response.status}`);
    return json;
  };
  const fail = (error) => ($('error').textContent = error.message);

  function renderList() {
    const list = $('handoffs');
    list.replaceChildren();
    const open = [...handoffs.values()].filter((h) => h.status !== 'resolved')
      .sort((a, b) => (a.status === b.status ? a.priority - b.priority || a.waitingSince.localeCompare(b.waitingSince) : a.status === 'waiting' ? -1 : 1));
    for (const h of open) {
      const item = el('li', undefined, `handoff${h.id === selected ? ' selected' : ''}`);
      item.dataset.id = h.id;
      item.append(el('div', h.customerName ?? 'Customer', 'who'), el('div', `${h.status}${h.agentName ? ` · ${h.agentName}` : ''} · ${h.channel} · ${waited(h.waitingSince)}`, 'muted'), el('div', h.reason));
      item.addEventListener('click', () => select(h.id));
      list.append(item);
    }
    $('empty').hidden = open.length > 0;
  }

  function line(entry) {
    const item = el('li', undefined, entry.from);
    item.dataset.id = entry.id;
    const via = entry.channel ? ` · on ${CHANNEL_NAMES[entry.channel] ?? entry.channel}` : '';
    item.append(el('span', `${entry.from}${via} · ${new Date(entry.at).toLocaleTimeString()}`, 'meta'), el('span', entry.text, 'text'));
    if (entry.payload) item.append(el('span', `pressed: ${entry.payload}`, 'meta'));
    if (entry.from !== 'customer') item.append(deliveryBadge(entry.delivery));
    return item;
  }

  // Delivery of the bot's and agents' messages: sent / delivered / read, failed (why), waiting (why).
  const DELIVERY_LABELS = { sending: 'sending…', sent: '✓ sent', delivered: '✓✓ delivered', read: '✓✓ read', failed: '✗ failed', waiting: '⏸ waiting' };
  function deliveryBadge(delivery) {
    const badge = el('span', undefined, 'delivery');
    setDelivery(badge, delivery);
    return badge;
  }
  function setDelivery(badge, delivery) {
    badge.dataset.state = delivery?.state ?? '';
    badge.textContent = delivery ? DELIVERY_LABELS[delivery.state] + (delivery.reason ? ` — ${delivery.reason}` : '') : '';
  }
  async function refreshDelivery() {
    if (!selected || document.hidden) return;
    const { delivery } = await api(`/agent/api/handoffs/${selected}/delivery`);
    for (const item of $('transcript').querySelectorAll('li')) {
      const badge = item.querySelector('.delivery');
      if (badge && delivery[item.dataset.id]) setDelivery(badge, delivery[item.dataset.id]);
    }
  }

  function addLine(entry) {
    const list = $('transcript');
    if (list.querySelector(`li[data-id="${CSS.escape(entry.id)}"]`)) return;
    list.append(line(entry));
    list.scrollTop = list.scrollHeight;
  }

  // Identities an agent can link, for the channels this server has on (from /healthz).
  const CHANNEL_NAMES = { whatsapp: 'WhatsApp', 'whatsapp-web': 'WhatsApp (Web)', web: 'Web chat', slack: 'Slack', botframework: 'Teams / Bot Framework' };
  const PHONE_CHANNELS = new Set(['whatsapp', 'whatsapp-web']);
  async function loadLinkChannels() {
    const health = await fetch('/healthz').then((r) => r.json());
    const select = $('link-channel');
    select.replaceChildren(...health.channels.map((id) => {
      const option = el('option', CHANNEL_NAMES[id] ?? id);
      option.value = id;
      return option;
    }));
    linkPlaceholder();
  }
  function linkPlaceholder() {
    $('link-identity').placeholder = PHONE_CHANNELS.has($('link-channel').value) ? 'phone number, e.g. +49 151 23456789' : "the customer's id on that channel";
  }
  const describeIdentity = (i) => `${CHANNEL_NAMES[i.channel] ?? i.channel}${i.phone ? ` ${i.phone}` : ''}`;

  function renderHead(h, context, position) {
    $('panel').hidden = false;
    $('customer').textContent = context?.customer.name ?? h.customerName ?? 'Customer';
    $('status').textContent = h.status + (h.agentName ? ` · ${h.agentName}` : '');
    $('channel').textContent = h.channel;
    $('wait').textContent = waited(h.waitingSince);
    $('position').textContent = position ? `· #${position} in queue` : '';
    $('reason').textContent = h.reason;
    $('trigger').textContent = `(${h.trigger})`;
    $('summary').textContent = h.summary + (h.summarySource === 'model' ? ' (written by the model)' : '');
    $('claim').hidden = h.status !== 'waiting';
    if (!context) return;
    customerId = context.customer.id;
    $('flow').textContent = [context.flow.flow, context.flow.step].filter(Boolean).join(' / ') || '—';
    const vars = $('vars');
    vars.replaceChildren();
    for (const [name, value] of Object.entries(context.flow.vars)) vars.append(el('dt', name), el('dd', String(value)));
    const kb = $('knowledge');
    kb.replaceChildren();
    for (const record of context.knowledge) {
      const block = el('div', undefined, 'kb');
      block.append(el('b', `Knowledge base, asked "${record.question}": `), el('span', record.answer ?? 'declined'), el('span', ` (confidence ${record.confidence.toFixed(2)})`, 'muted'));
      const hits = el('ul');
      for (const hit of record.results) hits.append(el('li', `${hit.title} — score ${hit.score.toFixed(2)}`));
      block.append(hits);
      kb.append(block);
    }
  }

  async function select(id) {
    selected = id;
    customerId = null;
    renderList();
    $('error').textContent = '';
    $('link-result').textContent = '';
    try {
      const detail = await api(`/agent/api/handoffs/${id}`);
      handoffs.set(id, detail.handoff);
      renderHead(detail.handoff, detail.context, detail.position);
      $('transcript').replaceChildren(...detail.transcript.map(line));
      const suggested = await api(`/agent/api/handoffs/${id}/suggestions`);
      $('suggestions').replaceChildren(...suggested.suggestions.map((s) => {
        const item = el('li', s.text);
        item.title = s.source;
        item.addEventListener('click', () => ($('reply').value = s.text));
        return item;
      }));
    } catch (error) {
      fail(error);
    }
  }

  $('claim').addEventListener('click', () => api(`/agent/api/handoffs/${selected}/claim`, {}).then((r) => { handoffs.set(r.handoff.id, r.handoff); renderHead(r.handoff); renderList(); }, fail));
  $('reply-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('reply').value.trim();
    if (!text || !selected) return;
    api(`/agent/api/handoffs/${selected}/replies`, { messageId: crypto.randomUUID(), text }).then(() => ($('reply').value = ''), fail);
  });
  $('resolve-form').addEventListener('submit', (event) => {
    event.preventDefault();
    api(`/agent/api/handoffs/${selected}/resolve`, { outcome: $('outcome').value }).then((r) => {
      handoffs.set(r.handoff.id, r.handoff);
      selected = null;
      $('panel').hidden = true;
      renderList();
    }, fail);
  });
  $('link-channel').addEventListener('change', linkPlaceholder);
  $('link-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const identity = $('link-identity').value.trim();
    if (!identity || !customerId) return;
    $('link-result').textContent = 'linking…';
    api('/agent/api/customers/link', { customerId, with: { channel: $('link-channel').value, identity } }).then((r) => {
      customerId = r.customerId;
      $('link-identity').value = '';
      $('link-result').textContent = `Linked. This customer is known on: ${r.identities.map(describeIdentity).join(', ')}.`;
    }, (error) => ($('link-result').textContent = `Not linked: ${error.message}`));
  });
  $('logout').addEventListener('click', () => api('/agent/logout', {}).finally(() => window.location.assign('/agent/login')));

  function connect() {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/agent/api/socket`);
    socket.addEventListener('message', (message) => {
      const event = JSON.parse(message.data);
      if (event.type === 'ready') $('live').textContent = 'live';
      if (event.type === 'handoff') {
        handoffs.set(event.handoff.id, event.handoff);
        renderList();
        if (event.handoff.id === selected) renderHead(event.handoff);
      }
      if (event.type === 'line' && event.handoffId === selected) addLine(event.line);
    });
    socket.addEventListener('close', () => {
      $('live').textContent = 'reconnecting…';
      setTimeout(() => { connect(); refresh(); }, 1000);
    });
  }

  async function refresh() {
    const { handoffs: open } = await api('/agent/api/handoffs');
    for (const h of open) handoffs.set(h.id, h);
    renderList();
  }

  api('/agent/api/me').then(({ agent }) => {
    me = agent;
    $('me').textContent = `${agent.name} · ${agent.queues.join(', ')}`;
    // Admins get a link to the WhatsApp Web login (QR code) when that channel is on.
    if (agent.admin) fetch('/admin/whatsapp-web/status').then((r) => { $('whatsapp-web').hidden = !r.ok; }, () => {});
    connect();
    loadLinkChannels().catch(fail);
    return refresh();
  }, fail);
  setInterval(() => refreshDelivery().catch(() => {}), 3000);
  setInterval(() => { renderList(); if (selected && handoffs.get(selected)) $('wait').textContent = waited(handoffs.get(selected).waitingSince); }, 1000);
})();
