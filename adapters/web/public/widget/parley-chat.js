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
 *     { type: "history", messages: Message[], locale? }  right after connecting, oldest first
 *     { type: "message", message: Message }           every new message of the conversation
 *     { type: "ack", messageId, locale? }             a client message was accepted (and its turn ran)
 *     { type: "locale", locale? }                     after "start": the greeting's language
 *     { type: "error", messageId?, code, error }      a client message (or the frame) was refused
 *     { type: "typing", who: "agent", name }          the agent who has the conversation is typing (not stored)
 *     { type: "status", open, backAt, typicalWaitMinutes }  whether people are there (opening hours), after the history
 *   locale: the conversation's language (the one the bot answers in); the widget's own text follows it.
 *   Message = { id, direction: "in"|"out", text: string|null, buttons: [{title, payload}], createdAt,
 *               clientMessageId?, sender? }   (clientMessageId: on the customer's own messages, the messageId the
 *               client sent; sender: { name } on an agent's reply, shown above it)
 *   client -> server
 *     { type: "start" }                                once, when the history is empty, so the bot greets
 *     { type: "message", messageId, text }             typed text
 *     { type: "message", messageId, payload, text }    a button press (text = the button's title)
 *     { type: "typing" }                               the customer is typing (sent at most every 3 s)
 *     { type: "status" }                               asks for the status again (every 5 minutes)
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
  /** How long an agent's "typing" shows without another one. */
  var AGENT_TYPING_MS = 6000;
  /** How often the status line asks whether people are there, at most. */
  var STATUS_EVERY_MS = 5 * 60 * 1000;
  /** How often the customer's typing is told at most. */
  var TYPING_EVERY_MS = 3000;
  var HISTORY_WAIT_MS = 3000;
  var BACKOFF_MIN_MS = 500;
  var BACKOFF_MAX_MS = 15000;

  var script = document.currentScript;
  // data-subtitle / data-placeholder, when the page sets them, replace the catalogue's text in every language.
  var config = {
    title: (script && script.getAttribute('data-title')) || 'Brightwave',
    subtitle: (script && script.getAttribute('data-subtitle')) || null,
    placeholder: (script && script.getAttribute('data-placeholder')) || null,
  };

  // ---------------------------------------------------------------- the widget's own text, per language

  /**
   * One catalogue per language; a third language is one more object with the same keys. Counts go through
   * Intl.PluralRules (`one` / `other`), times through Intl.DateTimeFormat in the chosen locale.
   */
  var MESSAGES = {
    en: {
      openChat: 'Open chat',
      closeChat: 'Close chat',
      chatWith: function (title) { return 'Chat with ' + title; },
      subtitle: 'We usually reply in a few seconds',
      typicalWait: { one: 'A person usually replies within {n} minute', other: 'A person usually replies within {n} minutes' },
      backAt: function (when) { return 'Our team is back ' + when + '; the assistant answers now'; },
      connecting: 'Connecting…',
      reconnecting: 'Reconnecting…',
      offline: 'You are offline',
      messages: 'Messages',
      typing: function (title) { return title + ' is typing'; },
      yourMessage: 'Your message',
      placeholder: 'Write a message…',
      send: 'Send',
      sending: 'Sending…',
      notSent: 'Not sent',
      retry: 'Retry',
      quickReplies: 'Quick replies',
      unread: { one: '{n} unread message', other: '{n} unread messages' },
      poweredBy: 'Powered by Parley',
      errors: {
        RATE_LIMITED: 'you are sending messages too quickly, please wait a moment',
        BAD_REQUEST: 'this message could not be read',
        other: 'something went wrong',
      },
    },
    de: {
      openChat: 'Chat öffnen',
      closeChat: 'Chat schließen',
      chatWith: function (title) { return 'Chat mit ' + title; },
      subtitle: 'Antwort meist in wenigen Sekunden',
      typicalWait: { one: 'Unser Team antwortet meist innerhalb von {n} Minute', other: 'Unser Team antwortet meist innerhalb von {n} Minuten' },
      backAt: function (when) { return 'Unser Team ist ' + when + ' wieder da; der Assistent antwortet sofort'; },
      connecting: 'Verbindung wird hergestellt…',
      reconnecting: 'Verbinde erneut…',
      offline: 'Sie sind offline',
      messages: 'Nachrichten',
      typing: function (title) { return title + ' schreibt'; },
      yourMessage: 'Ihre Nachricht',
      placeholder: 'Nachricht schreiben…',
      send: 'Senden',
      sending: 'Wird gesendet…',
      notSent: 'Nicht gesendet',
      retry: 'Erneut senden',
      quickReplies: 'Antwortvorschläge',
      unread: { one: '{n} ungelesene Nachricht', other: '{n} ungelesene Nachrichten' },
      poweredBy: 'Bereitgestellt von Parley',
      errors: {
        RATE_LIMITED: 'Sie senden zu schnell, bitte warten Sie einen Moment',
        BAD_REQUEST: 'diese Nachricht konnte nicht gelesen werden',
        other: 'etwas ist schiefgelaufen',
      },
    },
  };
  var FALLBACK_LANGUAGE = 'en';
  var STORAGE_LOCALE = 'parley.locale';

  /** The catalogue's language for a tag (`de-AT` -> `de`), or null when there is none for it. */
  function supported(tag) {
    if (typeof tag !== 'string' || !tag) return null;
    var lang = tag.toLowerCase().split(/[-_]/)[0];
    return Object.prototype.hasOwnProperty.call(MESSAGES, lang) ? lang : null;
  }
  function validTag(tag) {
    try { return Intl.getCanonicalLocales(tag)[0] || null; } catch (e) { return null; }
  }

  /**
   * Before the conversation has a language: the first of the browser's languages the widget speaks (the customer's
   * own), else the page's <html lang> (a German page read in a French browser is in German), else null.
   */
  function firstSupported(candidates) {
    for (var i = 0; i < candidates.length; i++) {
      var tag = candidates[i] && validTag(candidates[i]);
      if (tag && supported(tag)) return tag;
    }
    return null;
  }
  function browserLanguages() {
    return (navigator.languages ? Array.prototype.slice.call(navigator.languages) : []).concat([navigator.language]);
  }
  function initialLocale() {
    return firstSupported(browserLanguages().concat([document.documentElement.getAttribute('lang')]));
  }

  /**
   * The conversation's language once the server has told it (the bot answers in it, and follows the language the
   * customer writes in); before that the initial locale above; else English. The bot is greeted in the same one.
   */
  var conversationLocale = null;
  function chooseLocale() {
    var tag = firstSupported([conversationLocale]) || initialLocale() || FALLBACK_LANGUAGE;
    return { lang: supported(tag), tag: tag };
  }
  var current = chooseLocale();
  function t(key) { return MESSAGES[current.lang][key]; }
  function plural(key, n) {
    var forms = t(key);
    var form = 'other';
    try { form = new Intl.PluralRules(current.tag).select(n); } catch (e) { /* keep other */ }
    return (forms[form] || forms.other).replace('{n}', formatNumber(n));
  }
  function formatNumber(n) {
    try { return new Intl.NumberFormat(current.tag).format(n); } catch (e) { return String(n); }
  }
  function errorText(code) {
    var errors = t('errors');
    return (code && errors[code]) || errors.other;
  }
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

  // The conversation's language as last seen, so a reload shows the widget in it before the server answers.
  (function () {
    var remembered = storageGet('localStorage', STORAGE_LOCALE);
    var cut = remembered ? remembered.lastIndexOf('|') : -1;
    if (cut > 0 && remembered.slice(0, cut) === conversationId) {
      conversationLocale = remembered.slice(cut + 1);
      current = chooseLocale();
    }
  })();

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

  /** The time of day in the widget's locale; a message from an earlier day shows its date too. */
  function formatTime(iso) {
    var d = iso ? new Date(iso) : new Date();
    if (isNaN(d.getTime())) return '';
    var today = new Date().toDateString() === d.toDateString();
    try {
      // The locale's own short forms: "3:05 PM" in en-US, "15:05" in de, "5. Dez. 2026, 15:05" on an earlier day.
      return new Intl.DateTimeFormat(current.tag, today ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(d);
    } catch (e) {
      return d.toTimeString().slice(0, 5);
    }
  }
  /** The full date and time, for the time element's tooltip. */
  function formatFull(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    try { return new Intl.DateTimeFormat(current.tag, { dateStyle: 'full', timeStyle: 'short' }).format(d); } catch (e) { return ''; }
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
    'aria-controls': 'parley-panel',
    'aria-expanded': 'false',
  }, [icon(ICON_CHAT, 28), badge]);

  var statusText = el('span', { className: 'parley-status-text' });
  var statusDot = el('span', { className: 'parley-status-dot', 'aria-hidden': 'true' });
  var closeButton = el('button', { className: 'parley-close', type: 'button' }, [icon(ICON_CLOSE, 20)]);
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
  });
  var typingText = el('span', { className: 'parley-visually-hidden' });
  var typing = el('div', { className: 'parley-typing', hidden: true, role: 'status' }, [
    typingText,
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
    autocomplete: 'off',
    enterkeyhint: 'send',
  });
  var inputLabel = el('label', { className: 'parley-visually-hidden', for: 'parley-input' });
  var counter = el('span', { className: 'parley-counter', hidden: true, 'aria-live': 'polite' });
  var sendButton = el('button', { id: 'parley-send', className: 'parley-send', type: 'submit' }, [icon(ICON_SEND, 20)]);
  var form = el('form', { className: 'parley-composer', novalidate: true }, [inputLabel, input, sendButton, counter]);

  var footer = el('div', { className: 'parley-footer' });

  var panel = el('div', {
    id: 'parley-panel',
    className: 'parley-panel',
    role: 'dialog',
    hidden: true,
  }, [header, scroller, form, footer]);

  root.appendChild(panel);
  root.appendChild(launcher);
  root.appendChild(unreadText);

  /** Writes the widget's own text in the current language; called at start and whenever the language changes. */
  function applyTexts() {
    root.setAttribute('lang', current.tag);
    launcher.setAttribute('aria-label', t('openChat'));
    closeButton.setAttribute('aria-label', t('closeChat'));
    panel.setAttribute('aria-label', t('chatWith')(config.title));
    list.setAttribute('aria-label', t('messages'));
    typingText.textContent = t('typing')(config.title);
    input.setAttribute('placeholder', config.placeholder || t('placeholder'));
    inputLabel.textContent = t('yourMessage');
    sendButton.setAttribute('aria-label', t('send'));
    footer.textContent = t('poweredBy');
    var state = root.getAttribute('data-state');
    if (state) setStatus(state);
    else statusText.textContent = onlineText();
    statusText.setAttribute('title', statusText.textContent);
    setUnread(unread);
    var times = list.querySelectorAll('time.parley-time[datetime]');
    for (var i = 0; i < times.length; i++) {
      var iso = times[i].getAttribute('datetime');
      times[i].textContent = formatTime(iso);
      times[i].setAttribute('title', formatFull(iso));
    }
    var states = list.querySelectorAll('.parley-sending, .parley-failed');
    for (var j = 0; j < states.length; j++) {
      var s = states[j]._parleyState;
      if (s) setMessageState(states[j], s.state, s.errorCode);
    }
    var notices = list.querySelectorAll('.parley-notice');
    for (var k = 0; k < notices.length; k++) notices[k].textContent = errorText(notices[k]._parleyCode);
    var groups = list.querySelectorAll('.parley-buttons');
    for (var g = 0; g < groups.length; g++) groups[g].setAttribute('aria-label', t('quickReplies'));
  }

  /** The server told the conversation's language: follow it (the customer may have switched mid-conversation). */
  function setConversationLocale(tag) {
    var valid = validTag(tag);
    if (!valid || valid === conversationLocale) return;
    conversationLocale = valid;
    storageSet('localStorage', STORAGE_LOCALE, conversationId + '|' + valid);
    var next = chooseLocale();
    if (next.tag === current.tag) return;
    current = next;
    applyTexts();
  }

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
    if (msg.direction === 'out' && msg.sender && typeof msg.sender.name === 'string' && msg.sender.name) {
      node.appendChild(el('div', { className: 'parley-sender', text: msg.sender.name }));
    }
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
    if (msg.createdAt) {
      time.setAttribute('datetime', msg.createdAt);
      time.setAttribute('title', formatFull(msg.createdAt));
    }
    meta.appendChild(time);
    node.appendChild(meta);
  }

  function setMessageState(node, state, errorCode) {
    node._parleyState = state ? { state: state, errorCode: errorCode } : null;
    node.classList.remove('parley-sending', 'parley-failed');
    var meta = node.querySelector('.parley-meta');
    var old = meta && meta.querySelector('.parley-state');
    if (old) old.parentNode.removeChild(old);
    if (state === 'sending') {
      node.classList.add('parley-sending');
      if (meta) meta.appendChild(el('span', { className: 'parley-state', text: t('sending') }));
    } else if (state === 'failed') {
      node.classList.add('parley-failed');
      if (meta) {
        var retry = el('button', { type: 'button', className: 'parley-retry', text: t('retry') });
        var note = el('span', { className: 'parley-state', role: 'alert' }, [
          document.createTextNode(t('notSent') + ': ' + errorText(errorCode) + ' · '),
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
    var group = el('div', { className: 'parley-buttons', role: 'group', 'aria-label': t('quickReplies') });
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

  /** `name`: the agent who is typing (else it is the assistant, thinking about a reply). */
  function showTyping(on, name) {
    clearTimeout(typingTimer);
    if (on) {
      var stick = nearBottom();
      typingText.textContent = t('typing')(name || config.title);
      typing.hidden = false;
      if (stick) scrollToBottom();
      typingTimer = setTimeout(function () { typing.hidden = true; }, name ? AGENT_TYPING_MS : TYPING_TIMEOUT_MS);
    } else {
      typing.hidden = true;
    }
  }

  function notice(code) {
    var stick = nearBottom();
    var node = el('div', { className: 'parley-notice', role: 'alert', text: errorText(code) });
    node._parleyCode = code;
    list.appendChild(node);
    if (stick) scrollToBottom();
  }

  function setUnread(n) {
    unread = n;
    badge.hidden = n === 0;
    badge.textContent = n > 9 ? '9+' : String(n);
    unreadText.textContent = n ? plural('unread', n) : '';
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
    // The bot greets in the language the widget starts in (so both agree), and then follows the customer's.
    var locale = initialLocale() || browserLanguages()[0];
    return locale ? url + '&locale=' + encodeURIComponent(locale) : url;
  }

  // Whether people are there (the server's opening hours), when they are back, and the typical wait lately.
  var people = null;
  function onlineText() {
    if (config.subtitle) return config.subtitle;
    if (people && !people.open && people.backAt) {
      var when;
      try {
        when = new Intl.DateTimeFormat(current.tag, { weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date(people.backAt));
      } catch (e) { when = people.backAt; }
      return t('backAt')(when);
    }
    if (people && people.open && typeof people.typicalWaitMinutes === 'number') return plural('typicalWait', people.typicalWaitMinutes);
    return t('subtitle');
  }
  function onPeopleStatus(status) {
    if (typeof status.open !== 'boolean') return;
    people = status;
    if (root.getAttribute('data-state') === 'online') setStatus('online');
  }
  // Opening and closing times pass while a chat stays open: ask again now and then, over the live connection.
  setInterval(function () {
    if (ws && ready) {
      try { ws.send(JSON.stringify({ type: 'status' })); } catch (e) { /* the socket is closing */ }
    }
  }, STATUS_EVERY_MS);

  function setStatus(state) {
    root.setAttribute('data-state', state);
    if (state === 'online') statusText.textContent = onlineText();
    else if (state === 'connecting') statusText.textContent = t('connecting');
    else if (navigator.onLine === false) statusText.textContent = t('offline');
    else statusText.textContent = t('reconnecting');
    statusText.setAttribute('title', statusText.textContent);
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
      if (typeof data.locale === 'string') setConversationLocale(data.locale);
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
        case 'typing':
          if (data.who === 'agent' && typeof data.name === 'string') showTyping(true, data.name);
          break;
        case 'status':
          onPeopleStatus(data);
          break;
        case 'ack': {
          var p = pending[data.messageId];
          if (p && p.state !== 'failed') p.state = 'acked';
          if (p) setMessageState(p.el, null);
          break;
        }
        case 'error': {
          var q = data.messageId && pending[data.messageId];
          // The customer sees the error in their language, by its code; the server's text is for developers.
          var why = typeof data.code === 'string' ? data.code : null;
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

  var typingSentAt = 0;
  function tellTyping() {
    if (!ws || !ready || !input.value.trim() || Date.now() - typingSentAt < TYPING_EVERY_MS) return;
    typingSentAt = Date.now();
    try { ws.send(JSON.stringify({ type: 'typing' })); } catch (e) { /* the socket is closing */ }
  }
  input.addEventListener('input', function () { autosize(); updateCounter(); tellTyping(); });
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
    applyTexts();
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
