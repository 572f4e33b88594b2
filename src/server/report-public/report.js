// The report page: reads /admin/api/report and draws it with Chart.js (served from this server, no CDN).
// Every text from the data (questions customers asked, flow names) goes in through textContent, never as HTML.
/* global Chart */
const COLORS = { blue: '#2f6fb3', green: '#2e8b57', orange: '#d9822b', red: '#b3261e', grey: '#9aa5b1' };
const PALETTE = [COLORS.blue, COLORS.orange, COLORS.green, COLORS.red, '#7b5ea7', COLORS.grey];
const charts = {};

const percent = (value) => (value === null || value === undefined ? '–' : `${Math.round(value * 100)}%`);
const rating = (r) => (r.average === null ? '–' : `${r.average.toFixed(1)} ★ (${r.count})`);
function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function fillTable(id, rows, columns, emptyText) {
  const body = document.querySelector(`#${id} tbody`);
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell(emptyText, 'empty');
    td.colSpan = columns;
    tr.append(td);
    body.append(tr);
    return;
  }
  for (const cells of rows) {
    const tr = document.createElement('tr');
    tr.append(...cells);
    body.append(tr);
  }
}

function tiles(totals) {
  const items = [
    ['conversations', String(totals.conversations)],
    ['resolved without a person', percent(totals.containment)],
    ['handoffs', String(totals.handoffs)],
    ['first response (median)', duration(totals.firstResponseMs.median)],
    ['time to a person (median)', duration(totals.timeToPersonMs.median)],
    ['customer rating', rating(totals.rating)],
    ['drop-offs', String(totals.dropOffs)],
  ];
  document.getElementById('tiles').replaceChildren(...items.map(([label, value]) => {
    const div = document.createElement('div');
    div.className = 'tile';
    const v = document.createElement('div');
    v.className = 'value';
    v.textContent = value;
    const l = document.createElement('div');
    l.className = 'label';
    l.textContent = label;
    div.append(v, l);
    return div;
  }));
}

function draw(id, config) {
  charts[id]?.destroy();
  const canvas = document.getElementById(id);
  charts[id] = new Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
  canvas.dataset.drawn = String(config.data.datasets.reduce((sum, set) => sum + set.data.filter((v) => v !== null).length, 0));
}

function render(report) {
  tiles(report.totals);
  draw('containment-chart', {
    type: 'line',
    data: {
      labels: report.byDay.map((d) => d.day),
      datasets: [
        { label: 'resolved without a person (%)', data: report.byDay.map((d) => (d.containment === null ? null : Math.round(d.containment * 100))), borderColor: COLORS.green, backgroundColor: COLORS.green, yAxisID: 'y', spanGaps: true },
        { label: 'rating (1–5)', data: report.byDay.map((d) => d.rating.average), borderColor: COLORS.orange, backgroundColor: COLORS.orange, yAxisID: 'rating', spanGaps: true },
      ],
    },
    options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } }, rating: { position: 'right', min: 1, max: 5, grid: { drawOnChartArea: false } } } },
  });
  draw('reasons-chart', {
    type: 'doughnut',
    data: { labels: report.handoffReasons.map((r) => r.label), datasets: [{ data: report.handoffReasons.map((r) => r.count), backgroundColor: PALETTE }] },
    options: { plugins: { legend: { position: 'bottom' } } },
  });
  draw('dropoff-chart', {
    type: 'bar',
    data: {
      labels: report.dropOff.map((d) => `${d.flow} · ${d.step}`),
      datasets: [{ label: 'conversations that dropped off here', data: report.dropOff.map((d) => d.dropped), backgroundColor: COLORS.red }],
    },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });

  fillTable('gaps', report.gaps.map((g) => {
    // In Parley Studio, as a draft article with the customers' wordings as its questions; or as a file to save.
    const questions = [g.question, ...g.examples].slice(0, 4);
    const link = document.createElement('a');
    link.href = `/studio?${new URLSearchParams(questions.map((q) => ['article', q]))}`;
    link.textContent = 'write the article';
    const file = document.createElement('a');
    file.href = `/admin/report/article?${new URLSearchParams(questions.map((q) => ['q', q]))}`;
    file.textContent = 'as a file';
    file.className = 'secondary';
    const action = document.createElement('td');
    action.append(link, ' · ', file);
    return [cell(`${g.count}×`, 'num'), cell(g.question), cell(g.examples.join(' · ')), cell(g.nearestArticleId ?? '–'), action];
  }), 5, 'No unanswered questions in this period.');
  fillTable('flows', report.byFlow.map((f) => [cell(f.flow), cell(String(f.conversations), 'num'), cell(percent(f.containment), 'num'), cell(String(f.handoffs), 'num'), cell(rating(f.rating), 'num'), cell(String(f.dropOffs), 'num')]), 6, 'No conversations in this period.');
  fillTable('channels', report.byChannel.map((c) => [cell(c.channel), cell(String(c.conversations), 'num'), cell(percent(c.containment), 'num'), cell(duration(c.firstResponseMs.median), 'num'), cell(duration(c.timeToPersonMs.median), 'num'), cell(rating(c.rating), 'num')]), 6, 'No conversations in this period.');
}

async function load() {
  const status = document.getElementById('status');
  status.textContent = 'Loading…';
  const since = document.getElementById('since').value;
  const response = await fetch(`/admin/api/report?since=${encodeURIComponent(since)}`, { credentials: 'same-origin' });
  if (response.status === 401) {
    window.location.assign(`/agent/login?next=${encodeURIComponent('/admin/report')}`);
    return;
  }
  if (!response.ok) {
    status.textContent = `The report could not be loaded (${response.status}).`;
    return;
  }
  const report = await response.json();
  render(report);
  status.textContent = `From ${report.since.slice(0, 16).replace('T', ' ')} to ${report.until.slice(0, 16).replace('T', ' ')} UTC.`;
  document.body.dataset.ready = 'true';
}

document.getElementById('since').addEventListener('change', () => void load());
void load();
