// lunr.js -- peer for bench/perf: the same corpus in lunr with
// lunr-languages' Dutch pipeline (lunr.nl). Needs NODE_PATH to hold lunr and
// lunr-languages (bench/perf installs them into a temp dir).
//
//   node lunr.js index DECISIONS OUT.json      build over title + text,
//                                              serialise the index to JSON
//   node lunr.js search OUT.json PLAIN ROUNDS  in-process latency of
//                                              idx.search (every word
//                                              required, like akkoord search,
//                                              Dutch stop words left out)
//                                              + titles of the top 10
//   node lunr.js rank OUT.json AGREEMENT N     each section's text as the
//                                              query (terms ORed), top N
//
// lunr keeps no documents: the titles go beside the index in OUT.json
// (needed to show results), no snippets.
'use strict';
const fs = require('fs');
const lunr = require('lunr');
require('lunr-languages/lunr.stemmer.support')(lunr);
require('lunr-languages/lunr.nl')(lunr);

const lines = (p) => fs.readFileSync(p, 'utf8').split('\n').filter((l) => l.trim());
// lunr query syntax: + - : ~ ^ * are operators; keep words only.
const words = (s) => s.replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(/\s+/).filter(Boolean);

function load(p) {
  const o = JSON.parse(fs.readFileSync(p, 'utf8'));
  return { idx: lunr.Index.load(o.index), titles: o.titles };
}

const [cmd, a, b, c] = process.argv.slice(2);
if (cmd === 'index') {
  const docs = lines(a).map((l) => JSON.parse(l));
  const titles = {};
  const idx = lunr(function () {
    this.use(lunr.nl);
    this.ref('id');
    this.field('title');
    this.field('text');
    for (const d of docs) {
      titles[d.id] = d.title || '';
      this.add({ id: d.id, title: d.title || '', text: d.text || '' });
    }
  });
  fs.writeFileSync(b, JSON.stringify({ index: idx, titles }));
} else if (cmd === 'search') {
  const { idx, titles } = load(a);
  // A required stop word would match nothing (the pipeline drops it): the
  // Dutch stop words are left out of the query instead.
  const qs = lines(b).map((q) => words(q)
    .filter((w) => lunr.nl.stopWordFilter(w.toLowerCase()) !== undefined)
    .map((w) => '+' + w).join(' '));
  const rounds = parseInt(c, 10);
  const t = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of qs) {
      const t0 = process.hrtime.bigint();
      const res = idx.search(q).slice(0, 10).map((h) => titles[h.ref]);
      const dt = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.length > 10) throw new Error('x');
      if (r > 0) t.push(dt);
    }
  }
  t.sort((x, y) => x - y);
  const mean = t.reduce((s, x) => s + x, 0) / t.length;
  console.log(`${t[t.length >> 1].toFixed(4)} ${t[Math.floor(t.length * 0.95)].toFixed(4)} ${mean.toFixed(4)}`);
} else if (cmd === 'rank') {
  const { idx } = load(a);
  const n = parseInt(c, 10);
  const out = [];
  for (const l of lines(b)) {
    const s = JSON.parse(l);
    const q = words(s.text || '').join(' ');
    if (!q) continue;
    idx.search(q).slice(0, n).forEach((h, i) => {
      out.push(`${s.id} Q0 ${h.ref} ${i + 1} ${h.score.toFixed(4)} lunr`);
    });
  }
  process.stdout.write(out.join('\n') + '\n');
} else {
  console.error('usage: node lunr.js index|search|rank ...');
  process.exit(2);
}
