/*
 * Parley web chat widget. Plain browser JavaScript, no build step, no dependencies.
 *
 * Include it on a page with
 *   <link rel="stylesheet" href="/widget/parley-chat.css">
 *   <script src="/widget/parley-chat.js" defer></script>
 * (the stylesheet is added automatically when the page does not link it).
 *
 * Wire protocol, over one WebSocket per tab at /api/webchat/socket?conversationId=<id>:
 *   server -> client
 *     { type: "history", messages: Message[] }        right after connecting, oldest first
 *     { type: "message", message: Message }           every new message of the conversation
 *     { type: "ack", messageId }                      a client message was accepted
 *     { type: "error", messageId?, error }            a client message (or the frame) was refused
 *   Message = { id, direction: "in"|"out", text: string|null, buttons: [{title, payload}], createdAt,
 *               clientMessageId? }   (clientMessageId: on the customer's own messages, the messageId the client sent)
 *   client -> server
 *     { type: "start" }                                once, when the history is empty, so the bot greets
 *     { type: "message", messageId, text }             typed text
 *     { type: "message", messageId, payload, text }    a button press (text = the button's title)
 *
 * All message text is rendered with textContent; links are <a> elements whose href is http(s) only.
 */
(function () {
  'use strict';

  if (window.__parleyChat) return; // included twice: keep the first
  window.__parleyChat = true;

  var MAX_LENGTH = 4096;
  var STORAGE_ID = 'parley.conversationId';
  var STORAGE_OPEN = 'parley.open';
  var STORAGE_ACTIVE = 'parley.active';
  var TYPING_TIMEOUT_MS = 20000;
  var HISTORY_WAIT_MS = 3000;
  var BACKOFF_MIN_MS = 500;
  var BACKOFF_MAX_MS = 15000;

  var script = document.currentScript;
  var config = {
    title: (script && script.getAttribute('data-title')) || 'Brightwave',
    subtitle: (script && script.getAttribute('data-subtitle')) || 'We usually reply in a few seconds',
    placeholder: (script && script.getAttribute('data-placeholder')) || 'Write a message…',
  };
  // The widget talks to the server it was loaded from (the page's own host on the storefront).
  var base = (function () {
    try {
      if (script && script.src) return new URL(script.src, location.href);
    } catch (e) { /* fall through */ }
    return new URL(location.href);
  })();

  // ---------------------------------------------------------------- storage (may be unavailable)

  var memory = {};
  function storageGet(kind, key) {
    try { return window[kind].getItem(key); } catch (e) { return Object.prototype.hasOwnProperty.call(memory, kind + key) ? memory[kind + key] : null; }
  }
  function storageSet(kind, key, value) {
    try { window[kind].setItem(key, value); } catch (e) { memory[kind + key] = value; }
  }

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      try { return window.crypto.randomUUID(); } catch (e) { /* insecure context: fall through */ }
    }
    // randomUUID exists only in secure contexts; getRandomValues works everywhere.
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = [];
    for (var i = 0; i < 16; i++) h.push((b[i] + 0x100).toString(16).slice(1));
    return h.slice(0, 4).join('') + '-' + h.slice(4, 6).join('') + '-' + h.slice(6, 8).join('') + '-' +
      h.slice(8, 10).join('') + '-' + h.slice(10, 16).join('');
  }

  var conversationId = storageGet('localStorage', STORAGE_ID);
  if (!conversationId) {
    conversationId = uuid();
    storageSet('localStorage', STORAGE_ID, conversationId);
  }

  // ---------------------------------------------------------------- DOM helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k)) continue;
        var v = attrs[k];
        if (v === null || v === undefined || v === false) continue;
        if (k === 'className') node.className = v;
        else if (k === 'text') node.textContent = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    if (children) for (var i = 0; i < children.length; i++) if (children[i]) node.appendChild(children[i]);
    return node;
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  function icon(paths, size) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', String(size || 24));
    svg.setAttribute('height', String(size || 24));
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    for (var i = 0; i < paths.length; i++) {
      var p = document.createElementNS(SVG_NS, 'path');
      p.setAttribute('d', paths[i]);
      svg.appendChild(p);
    }
    return svg;
  }
  var ICON_CHAT = ['M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-4.2 3.4A.5.5 0 0 1 4 21V18a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z'];
  var ICON_CLOSE = ['M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z'];
  var ICON_SEND = ['M3.4 20.4 21 12 3.4 3.6 3.4 10.2 15 12 3.4 13.8z'];

  /** Appends text to a node, turning http(s) URLs into safe links. Never uses innerHTML. */
  var URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
  /** Trailing punctuation usually ends the sentence, not the URL; a ")" ends it unless the URL opened one. */
  function trimUrl(raw) {
    var url = raw;
    for (;;) {
      var c = url.charAt(url.length - 1);
      if ('.,;:!?\'"]}'.indexOf(c) !== -1) { url = url.slice(0, -1); continue; }
      if (c === ')' && url.split('(').length <= url.split(')').length - 1) { url = url.slice(0, -1); continue; }
      return url;
    }
  }
  function appendRichText(node, text) {
    var last = 0;
    var m;
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text)) !== null) {
      var trimmed = trimUrl(m[0]);
      var href = null;
      try {
        var u = new URL(trimmed);
        if (u.protocol === 'http:' || u.protocol === 'https:') href = u.href;
      } catch (e) { href = null; }
      if (!href) continue;
      if (m.index > last) node.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = document.createElement('a');
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer nofollow';
      a.textContent = trimmed;
      node.appendChild(a);
      last = m.index + trimmed.length;
      URL_RE.lastIndex = last;
    }
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
  }

  function formatTime(iso) {
    var d = iso ? new Date(iso) : new Date();
    if (isNaN(d.getTime())) return '';
    try {
      return d.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
    } catch (e) {
      return d.toTimeString().slice(0, 5);
    }
  }

  // ---------------------------------------------------------------- build the widget

  var root = el('div', { id: 'parley-root', className: 'parley-root' });

  var badge = el('span', { className: 'parley-badge', 'aria-hidden': 'true', hidden: true });
  var unreadText = el('span', { id: 'parley-unread', className: 'parley-visually-hidden' });
  var launcher = el('button', {
    id: 'parley-launcher',
    'aria-describedby': 'parley-unread',
    className: 'parley-launcher',
    type: 'button',
    'aria-label': 'Open chat',
    'aria-controls': 'parley-panel',
    'aria-expanded': 'false',
  }, [icon(ICON_CHAT, 28), badge]);

  var statusText = el('span', { className: 'parley-status-text', text: config.subtitle });
  var statusDot = el('span', { className: 'parley-status-dot', 'aria-hidden': 'true' });
  var closeButton = el('button', { className: 'parley-close', type: 'button', 'aria-label': 'Close chat' }, [icon(ICON_CLOSE, 20)]);
  var header = el('div', { className: 'parley-header' }, [
    el('div', { className: 'parley-avatar', 'aria-hidden': 'true', text: config.title.charAt(0).toUpperCase() }),
    el('div', { className: 'parley-heading' }, [
      el('h2', { className: 'parley-title', id: 'parley-title', text: config.title }),
      el('p', { className: 'parley-status', 'aria-live': 'polite' }, [statusDot, statusText]),
    ]),
    closeButton,
  ]);

  var list = el('div', {
    id: 'parley-messages',
    className: 'parley-messages',
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions',
    'aria-label': 'Messages',
  });
  var typing = el('div', { className: 'parley-typing', hidden: true, role: 'status' }, [
    el('span', { className: 'parley-visually-hidden', text: config.title + ' is typing' }),
    el('span', { className: 'parley-dot', 'aria-hidden': 'true' }),
    el('span', { className: 'parley-dot', 'aria-hidden': 'true' }),
    el('span', { className: 'parley-dot', 'aria-hidden': 'true' }),
  ]);
  var scroller = el('div', { className: 'parley-scroll' }, [list, typing]);

  var input = el('textarea', {
    id: 'parley-input',
    className: 'parley-input',
    rows: '1',
    maxlength: String(MAX_LENGTH),
    placeholder: config.placeholder,
    autocomplete: 'off',
    enterkeyhint: 'send',
  });
  var inputLabel = el('label', { className: 'parley-visually-hidden', for: 'parley-input', text: 'Your message' });
  var counter = el('span', { className: 'parley-counter', hidden: true, 'aria-live': 'polite' });
  var sendButton = el('button', { id: 'parley-send', className: 'parley-send', type: 'submit', 'aria-label': 'Send' }, [icon(ICON_SEND, 20)]);
  var form = el('form', { className: 'parley-composer', novalidate: true }, [inputLabel, input, sendButton, counter]);

  var footer = el('div', { className: 'parley-footer', text: 'Powered by Parley' });

  var panel = el('div', {
    id: 'parley-panel',
    className: 'parley-panel',
    role: 'dialog',
    'aria-label': 'Chat with ' + config.title,
    hidden: true,
  }, [header, scroller, form, footer]);

  root.appendChild(panel);
  root.appendChild(launcher);
  root.appendChild(unreadText);

  function ensureStylesheet() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      if (/parley-chat\.css(\?|#|$)/.test(links[i].getAttribute('href') || '')) return;
    }
    var href = new URL('parley-chat.css', base).href;
    document.head.appendChild(el('link', { rel: 'stylesheet', href: href }));
  }

  // ---------------------------------------------------------------- message state

  /** Server message id -> element. */
  var byId = Object.create(null);
  /** Client messageId -> { el, frame, state: 'queued'|'sent'|'acked'|'failed' } for the customer's own messages. */
  var pending = Object.create(null);
  /** Frames waiting for an open socket, in order (client messageIds, or 'start'). */
  var outQueue = [];
  var buttonsOwner = null; // the .parley-out element whose buttons are shown
  var typingTimer = null;
  var unread = 0;

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  }
  function scrollToBottom() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function buildMessage(msg) {
    var out = msg.direction === 'out';
    var node = el('div', { className: 'parley-message ' + (out ? 'parley-out' : 'parley-in') });
    if (msg.id) node.setAttribute('data-id', msg.id);
    fillMessage(node, msg);
    return node;
  }

  function fillMessage(node, msg) {
    node._parley = msg;
    node.classList.remove('parley-no-text');
    while (node.firstChild) node.removeChild(node.firstChild);
    var text = typeof msg.text === 'string' ? msg.text : '';
    if (text) {
      var bubble = el('div', { className: 'parley-bubble' });
      if (msg.direction === 'out') appendRichText(bubble, text);
      else bubble.textContent = text;
      node.appendChild(bubble);
    } else {
      node.classList.add('parley-no-text');
    }
    var meta = el('div', { className: 'parley-meta' });
    var time = el('time', { className: 'parley-time', text: formatTime(msg.createdAt) });
    if (msg.createdAt) time.setAttribute('datetime', msg.createdAt);
    meta.appendChild(time);
    node.appendChild(meta);
  }

  function setMessageState(node, state, errorText) {
    node.classList.remove('parley-sending', 'parley-failed');
    var meta = node.querySelector('.parley-meta');
    var old = meta && meta.querySelector('.parley-state');
    if (old) old.parentNode.removeChild(old);
    if (state === 'sending') {
      node.classList.add('parley-sending');
      if (meta) meta.appendChild(el('span', { className: 'parley-state', text: 'Sending…' }));
    } else if (state === 'failed') {
      node.classList.add('parley-failed');
      if (meta) {
        var retry = el('button', { type: 'button', className: 'parley-retry', text: 'Retry' });
        var note = el('span', { className: 'parley-state', role: 'alert' }, [
          document.createTextNode((errorText ? 'Not sent: ' + errorText : 'Not sent') + ' · '),
          retry,
        ]);
        meta.appendChild(note);
        retry.addEventListener('click', function () {
          var id = node.getAttribute('data-client-id');
          var p = id && pending[id];
          if (!p) return;
          p.state = 'queued';
          setMessageState(node, 'sending');
          outQueue.push(id);
          flush();
        });
      }
    }
  }

  /** Shows quick replies under the last bot message only. */
  function refreshButtons() {
    var outs = list.querySelectorAll('.parley-message.parley-out');
    var last = outs.length ? outs[outs.length - 1] : null;
    if (last === buttonsOwner) return;
    if (buttonsOwner) {
      var old = buttonsOwner.querySelector('.parley-buttons');
      if (old) old.parentNode.removeChild(old);
    }
    buttonsOwner = last;
    if (!last) return;
    var msg = last._parley || {};
    var buttons = Array.isArray(msg.buttons) ? msg.buttons : [];
    if (!buttons.length) return;
    var group = el('div', { className: 'parley-buttons', role: 'group', 'aria-label': 'Quick replies' });
    buttons.forEach(function (b) {
      if (!b || typeof b.title !== 'string') return;
      var btn = el('button', { type: 'button', className: 'parley-button', text: b.title });
      btn.addEventListener('click', function () {
        if (btn.disabled) return;
        var all = group.querySelectorAll('.parley-button');
        for (var i = 0; i < all.length; i++) all[i].disabled = true;
        btn.classList.add('parley-chosen');
        // If no reply ever comes (and no error either), let the customer press again after a while.
        setTimeout(function () {
          for (var j = 0; j < all.length; j++) all[j].disabled = false;
          btn.classList.remove('parley-chosen');
        }, TYPING_TIMEOUT_MS);
        sendCustomerMessage(b.title, typeof b.payload === 'string' ? b.payload : b.title, group);
      });
      group.appendChild(btn);
    });
    var meta = last.querySelector('.parley-meta');
    last.insertBefore(group, meta);
  }

  function showTyping(on) {
    clearTimeout(typingTimer);
    if (on) {
      var stick = nearBottom();
      typing.hidden = false;
      if (stick) scrollToBottom();
      typingTimer = setTimeout(function () { typing.hidden = true; }, TYPING_TIMEOUT_MS);
    } else {
      typing.hidden = true;
    }
  }

  function notice(text) {
    var stick = nearBottom();
    list.appendChild(el('div', { className: 'parley-notice', role: 'alert', text: text }));
    if (stick) scrollToBottom();
  }

  function setUnread(n) {
    unread = n;
    badge.hidden = n === 0;
    badge.textContent = n > 9 ? '9+' : String(n);
    unreadText.textContent = n ? n + (n === 1 ? ' unread message' : ' unread messages') : '';
  }

  /** A confirmed (server) message: reconcile with our pending copy, or render it once. */
  function receive(msg, live) {
    if (!msg || typeof msg.id !== 'string') return null;
    if (byId[msg.id]) return byId[msg.id];
    storageSet('localStorage', STORAGE_ACTIVE, '1');
    var clientId = typeof msg.clientMessageId === 'string' ? msg.clientMessageId : null;
    var mine = (clientId && pending[clientId]) || pending[msg.id];
    var node;
    if (mine) {
      node = mine.el;
      delete pending[mine.id];
      removeFromQueue(mine.id);
      node.setAttribute('data-id', msg.id);
      fillMessage(node, msg);
      setMessageState(node, null);
    } else {
      node = buildMessage(msg);
    }
    byId[msg.id] = node;
    if (live && msg.direction === 'out') {
      showTyping(false);
      if (panel.hidden) setUnread(unread + 1);
    }
    return node;
  }

  function onHistory(messages) {
    if (!Array.isArray(messages)) messages = [];
    var stick = nearBottom() || !list.firstChild;
    var cursor = null; // the element after which the next history message belongs
    var added = false;
    for (var i = 0; i < messages.length; i++) {
      var msg = messages[i];
      if (!msg || typeof msg.id !== 'string') continue;
      var known = byId[msg.id];
      var node = known || receive(msg, false);
      if (!node) continue;
      if (!known) {
        added = true;
        // Right after the previous history message, so messages missed while offline (and our own
        // messages the server confirms) land in the server's order, before anything still pending.
        list.insertBefore(node, cursor ? cursor.nextSibling : list.firstChild);
      }
      cursor = node;
    }
    refreshButtons();
    if (messages.length === 0 && !list.querySelector('.parley-message')) {
      // A new conversation: let the bot greet, once.
      if (outQueue.indexOf('start') === -1) outQueue.unshift('start');
      showTyping(true);
    } else {
      var last = messages[messages.length - 1];
      if (last && last.direction === 'out') showTyping(false);
    }
    if (added && stick) scrollToBottom();
  }

  function onLiveMessage(msg) {
    var existed = msg && typeof msg.id === 'string' && byId[msg.id];
    if (existed) return;
    var stick = nearBottom();
    var mineBefore = msg && ((msg.clientMessageId && pending[msg.clientMessageId]) || pending[msg.id]);
    var node = receive(msg, true);
    if (!node) return;
    if (!mineBefore) list.appendChild(node);
    refreshButtons();
    if (stick || msg.direction === 'in') scrollToBottom();
  }

  // ---------------------------------------------------------------- sending

  function removeFromQueue(id) {
    var i = outQueue.indexOf(id);
    if (i !== -1) outQueue.splice(i, 1);
  }

  function sendCustomerMessage(text, payload, buttonGroup) {
    var id = uuid();
    var frame = { type: 'message', messageId: id, text: text };
    if (payload !== undefined && payload !== null) frame.payload = payload;
    var node = buildMessage({ id: null, direction: 'in', text: text, buttons: [], createdAt: new Date().toISOString() });
    node.removeAttribute('data-id');
    node.setAttribute('data-client-id', id);
    setMessageState(node, 'sending');
    list.appendChild(node);
    pending[id] = { id: id, el: node, frame: frame, state: 'queued', group: buttonGroup || null };
    outQueue.push(id);
    scrollToBottom();
    flush();
  }

  function submit() {
    var text = input.value;
    if (!text.trim()) return;
    if (text.length > MAX_LENGTH) text = text.slice(0, MAX_LENGTH);
    text = text.replace(/^\s*\n/, '').replace(/\s+$/, '');
    input.value = '';
    autosize();
    updateCounter();
    sendCustomerMessage(text);
  }

  // ---------------------------------------------------------------- connection

  var ws = null;
  var ready = false; // the history frame of the current socket has arrived
  var attempt = 0;
  var reconnectTimer = null;
  var historyTimer = null;
  var wanted = false; // connect only once the chat is used (or a conversation already exists)

  function socketUrl() {
    var proto = base.protocol === 'https:' ? 'wss:' : 'ws:';
    var url = proto + '//' + base.host + '/api/webchat/socket?conversationId=' + encodeURIComponent(conversationId);
    // The bot greets and answers in the browser's language unless the customer picks another one in the chat.
    var locale = (navigator.languages && navigator.languages[0]) || navigator.language;
    return locale ? url + '&locale=' + encodeURIComponent(locale) : url;
  }

  function setStatus(state) {
    root.setAttribute('data-state', state);
    if (state === 'online') statusText.textContent = config.subtitle;
    else if (state === 'connecting') statusText.textContent = 'Connecting…';
    else statusText.textContent = 'Reconnecting…';
  }

  function connect() {
    wanted = true;
    if (ws || reconnectTimer) return;
    ready = false;
    setStatus(attempt === 0 ? 'connecting' : 'offline');
    var socket;
    try {
      socket = new WebSocket(socketUrl());
    } catch (e) {
      scheduleReconnect();
      return;
    }
    ws = socket;
    socket.onopen = function () {
      if (ws !== socket) return;
      // Normally the history frame comes at once; don't hold queued messages forever if it does not.
      historyTimer = setTimeout(function () {
        if (ws === socket && !ready) { ready = true; setStatus('online'); flush(); }
      }, HISTORY_WAIT_MS);
    };
    socket.onmessage = function (ev) {
      if (ws !== socket) return;
      var data;
      try { data = JSON.parse(typeof ev.data === 'string' ? ev.data : ''); } catch (e) { return; }
      if (!data || typeof data !== 'object') return;
      switch (data.type) {
        case 'history':
          clearTimeout(historyTimer);
          onHistory(data.messages);
          ready = true;
          attempt = 0;
          setStatus('online');
          // Messages sent on an earlier socket and neither acked nor in the history go again
          // (same messageId, so the server can drop a duplicate).
          Object.keys(pending).forEach(function (id) {
            var p = pending[id];
            if (p.state === 'sent' && outQueue.indexOf(id) === -1) { p.state = 'queued'; outQueue.push(id); }
          });
          flush();
          break;
        case 'message':
          onLiveMessage(data.message);
          break;
        case 'ack': {
          var p = pending[data.messageId];
          if (p && p.state !== 'failed') p.state = 'acked';
          if (p) setMessageState(p.el, null);
          break;
        }
        case 'error': {
          var q = data.messageId && pending[data.messageId];
          var why = typeof data.error === 'string' ? data.error : 'something went wrong';
          if (q) {
            q.state = 'failed';
            removeFromQueue(q.id);
            setMessageState(q.el, 'failed', why);
            if (q.group) {
              var btns = q.group.querySelectorAll('.parley-button');
              for (var i = 0; i < btns.length; i++) { btns[i].disabled = false; btns[i].classList.remove('parley-chosen'); }
            }
          } else {
            notice(why);
          }
          showTyping(false);
          break;
        }
        default:
          break;
      }
    };
    socket.onclose = function () {
      if (ws !== socket) return;
      ws = null;
      ready = false;
      clearTimeout(historyTimer);
      showTyping(false);
      scheduleReconnect();
    };
    socket.onerror = function () { /* onclose follows */ };
  }

  function scheduleReconnect() {
    if (reconnectTimer) return;
    setStatus('offline');
    var delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, attempt));
    delay = delay / 2 + Math.random() * delay / 2;
    attempt++;
    reconnectTimer = setTimeout(function () {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  function reconnectNow() {
    if (!wanted || ws) return;
    if (reconnectTimer) { clearTimeout(reconnectTimer); reconnectTimer = null; }
    connect();
  }

  function flush() {
    if (!ws || !ready || ws.readyState !== 1) {
      if (wanted) connect();
      return;
    }
    var waitingForReply = false;
    while (outQueue.length) {
      var id = outQueue[0];
      var frame;
      if (id === 'start') {
        frame = { type: 'start' };
      } else {
        var p = pending[id];
        if (!p) { outQueue.shift(); continue; }
        frame = p.frame;
      }
      try {
        ws.send(JSON.stringify(frame));
      } catch (e) {
        return; // the socket is going away; onclose reconnects and we flush again
      }
      outQueue.shift();
      if (id !== 'start' && pending[id]) pending[id].state = 'sent';
      waitingForReply = true;
    }
    if (waitingForReply) showTyping(true);
  }

  window.addEventListener('online', reconnectNow);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') reconnectNow();
  });

  // ---------------------------------------------------------------- open / close

  function isOpen() { return !panel.hidden; }

  function open(focus) {
    if (!isOpen()) {
      panel.hidden = false;
      root.classList.add('parley-open');
      launcher.setAttribute('aria-expanded', 'true');
      storageSet('sessionStorage', STORAGE_OPEN, '1');
      setUnread(0);
      scrollToBottom();
    }
    connect();
    if (focus) {
      // Don't pop the keyboard up on phones just because the panel opened.
      var coarse = window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
      if (!coarse) input.focus({ preventScroll: true });
    }
  }

  function close() {
    if (!isOpen()) return;
    var hadFocus = panel.contains(document.activeElement);
    panel.hidden = true;
    root.classList.remove('parley-open');
    launcher.setAttribute('aria-expanded', 'false');
    storageSet('sessionStorage', STORAGE_OPEN, '0');
    if (hadFocus) launcher.focus();
  }

  launcher.addEventListener('click', function () { open(true); });
  closeButton.addEventListener('click', close);
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { e.preventDefault(); close(); }
  });

  // ---------------------------------------------------------------- composer

  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 120) + 'px';
  }
  function updateCounter() {
    var n = input.value.length;
    if (n > MAX_LENGTH - 300) {
      counter.hidden = false;
      counter.textContent = n + ' / ' + MAX_LENGTH;
    } else {
      counter.hidden = true;
    }
    root.classList.toggle('parley-has-text', n > 0 && !!input.value.trim());
  }

  input.addEventListener('input', function () { autosize(); updateCounter(); });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    submit();
    input.focus({ preventScroll: true });
  });

  // ---------------------------------------------------------------- start

  function wantsOpenFromHash() { return location.hash === '#chat'; }

  function mount() {
    ensureStylesheet();
    document.body.appendChild(root);
    var remembered = storageGet('sessionStorage', STORAGE_OPEN);
    if (wantsOpenFromHash() || remembered === '1') open(false);
    else if (storageGet('localStorage', STORAGE_ACTIVE) === '1') connect(); // an existing conversation: catch agent replies
    window.addEventListener('hashchange', function () { if (wantsOpenFromHash()) open(true); });
    // Any <a href="#chat"> or [data-parley-open] on the page opens the chat; data-parley-prefill fills the input.
    document.addEventListener('click', function (e) {
      var t = e.target && e.target.closest ? e.target.closest('a[href="#chat"], [data-parley-open]') : null;
      if (!t || root.contains(t)) return;
      e.preventDefault();
      var text = t.getAttribute('data-parley-prefill');
      open(true);
      if (text) prefill(text);
    });
  }

  function prefill(text) {
    input.value = String(text).slice(0, MAX_LENGTH);
    autosize();
    updateCounter();
    input.focus({ preventScroll: true });
    try { input.setSelectionRange(input.value.length, input.value.length); } catch (e) { /* ignore */ }
  }

  /** A small API for the host page. */
  window.ParleyChat = {
    open: function () { open(true); },
    close: close,
    prefill: function (text) { open(true); prefill(text); },
    conversationId: conversationId,
  };

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
