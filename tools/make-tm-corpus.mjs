#!/usr/bin/env node
// make-tm-corpus.mjs: builds the translation-memory benchmark corpus from
// the npm package quran-json (CC-BY-4.0; 11 languages, verse-aligned, 6,236
// verses each): a TMX 1.4b file of N distinct units and a query set of real
// sentences with words perturbed.  Run it through tools/make-tm-corpus.sh,
// which installs the package into a scratch directory first.
//
//   node make-tm-corpus.mjs QURAN_JSON_DIST OUTDIR [UNITS]
//
// Writes OUTDIR/tm-<UNITS>.tmx, OUTDIR/queries.txt (1,000 English queries,
// one per line, for `parallax lookup --file`), OUTDIR/queries.tsv (1,000
// queries in every language: lang TAB query TAB kind TAB reference) and
// OUTDIR/corpus.json (counts and byte sizes).
//
// Why the variation: the memory must hold a million DISTINCT units, whatever
// rule the store uses to decide that two units are "the same" (same source
// text, same variant set...).  So every variant text written is unique in the
// whole file: units combine verses, windows of consecutive verses and
// sentence pieces with every pair (and some triples) of languages, and a text
// that was already used is varied by deterministic word perturbations until
// it is new.  Everything is deterministic: the same input gives the same
// bytes.
import fs from 'node:fs';
import path from 'node:path';

const [, , distDir, outDir, unitsArg] = process.argv;
if (!distDir || !outDir) {
  console.error('usage: make-tm-corpus.mjs QURAN_JSON_DIST OUTDIR [UNITS]');
  process.exit(2);
}
const UNITS = unitsArg ? Number(unitsArg) : 1000000;
if (!Number.isInteger(UNITS) || UNITS < 1) {
  console.error('make-tm-corpus: UNITS must be a positive integer');
  process.exit(2);
}

// ---- load the verse-aligned texts ---------------------------------------
const files = {
  ar: 'quran.json', en: 'quran_en.json', bn: 'quran_bn.json',
  es: 'quran_es.json', fr: 'quran_fr.json', id: 'quran_id.json',
  ru: 'quran_ru.json', sv: 'quran_sv.json', tr: 'quran_tr.json',
  ur: 'quran_ur.json', zh: 'quran_zh.json',
};
const LANGS = Object.keys(files);
const verses = {};  // lang -> [text]
const refs = [];    // index -> "sura:aya"
const chapterOf = [];
for (const lang of LANGS) {
  const data = JSON.parse(fs.readFileSync(path.join(distDir, files[lang]), 'utf8'));
  const out = [];
  for (const ch of data) {
    for (const v of ch.verses) {
      const t = (lang === 'ar' ? v.text : v.translation) || '';
      out.push(t.replace(/\s+/g, ' ').trim());
      if (lang === 'ar') {
        refs.push(`${ch.id}:${v.id}`);
        chapterOf.push(ch.id);
      }
    }
  }
  verses[lang] = out;
}
const NV = refs.length;
for (const lang of LANGS) {
  if (verses[lang].length !== NV) {
    console.error(`make-tm-corpus: ${lang} has ${verses[lang].length} verses, ar has ${NV}`);
    process.exit(3);
  }
}

// ---- deterministic helpers -------------------------------------------------
let seed = 0x9e3779b9;
function rand() {  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function hash53(s) {  // two FNV-1a lanes over UTF-16 units
  let h1 = 0x811c9dc5, h2 = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2 ^ c, 2246822507);
  }
  return (h1 >>> 0) * 2097152 + ((h2 >>> 0) & 0x1fffff);
}
const noSpace = (lang) => lang === 'zh';
const tokens = (lang, s) => (noSpace(lang) ? Array.from(s) : s.split(' '));
const join = (lang, a) => a.join(noSpace(lang) ? '' : ' ');

// Sentence and clause pieces of a verse (split after . ! ? ; and their
// Arabic-script, Devanagari-style and CJK forms), pieces of 3+ words.
const SPLIT = /(?<=[.!?;:،؛۔।。！？；])\s*/u;
function pieces(lang, s) {
  const p = s.split(SPLIT).map((x) => x.trim()).filter((x) => x.length > 0);
  return p.every((x) => tokens(lang, x).length >= 3 || (noSpace(lang) && x.length >= 4)) ? p : [];
}

const used = new Set();
// A new variant of text t: as is if unused, else perturbed until unused.
function unique(lang, t, ref) {
  let h = hash53(lang + '\u0001' + t);
  if (!used.has(h)) {
    used.add(h);
    return t;
  }
  for (let p = 1; ; p++) {
    const w = tokens(lang, t);
    let v;
    if (w.length < 4 || p > 40) {
      v = `${t} (${ref}/${p})`;
    } else {
      const k = Math.floor(rand() * (w.length - 1));
      const op = (p + k) % 4;
      const x = w.slice();
      if (op === 0) x.splice(k, 1);                       // drop a word
      else if (op === 1) [x[k], x[k + 1]] = [x[k + 1], x[k]];  // swap two
      else if (op === 2) x.splice(k, 0, x[k]);            // repeat a word
      else x.splice(k + 1, 1);                            // drop the next
      v = join(lang, x);
    }
    h = hash53(lang + '\u0001' + v);
    if (!used.has(h)) {
      used.add(h);
      return v;
    }
  }
}

// ---- TMX writing -------------------------------------------------------------
function esc(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function escAttr(s) {
  return esc(s).replace(/"/g, '&quot;');
}
fs.mkdirSync(outDir, { recursive: true });
const tmxPath = path.join(outDir, `tm-${UNITS}.tmx`);
const fd = fs.openSync(tmxPath + '.tmp', 'w');
let chunk = '';
let bytes = 0;
let textBytes = 0;
function out(s) {
  chunk += s;
  if (chunk.length > 1 << 20) flush();
}
function flush() {
  const b = Buffer.from(chunk, 'utf8');
  fs.writeSync(fd, b);
  bytes += b.length;
  chunk = '';
}
out('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n' +
  '<header creationtool="make-tm-corpus" creationtoolversion="1" ' +
  'segtype="sentence" o-tmf="quran-json" adminlang="en" srclang="*all*" ' +
  'datatype="plaintext" creationdate="20240101T000000Z">\n' +
  '<prop type="x-corpus">quran-json 3.1.2 (CC-BY-4.0)</prop>\n' +
  '<note>Benchmark memory: verses, verse windows and sentence pieces in 11 languages.</note>\n' +
  '</header>\n<body>\n');

const PAIRS = [];
for (const a of LANGS) for (const b of LANGS) if (a !== b) PAIRS.push([a, b]);
const USERS = ['quran-json', 'editor-a', 'editor-b', 'aligner'];
const base = Date.UTC(2015, 0, 1) / 1000;
function tmxDate(sec) {
  const d = new Date(sec * 1000).toISOString();  // 2015-01-01T00:00:00.000Z
  return d.slice(0, 4) + d.slice(5, 7) + d.slice(8, 10) + 'T' +
    d.slice(11, 13) + d.slice(14, 16) + d.slice(17, 19) + 'Z';
}
function segXml(text, n) {
  // Every 40th unit carries inline markup: a bold first word (bpt/ept) and
  // every 97th a placeholder; both variants get the same tags.
  const e = esc(text);
  if (n % 40 === 7) {
    const sp = e.indexOf(' ');
    if (sp > 0) {
      return `<bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>${e.slice(0, sp)}` +
        `<ept i="1">&lt;/b&gt;</ept>${e.slice(sp)}`;
    }
  }
  if (n % 97 === 11) return `${e}<ph x="2" type="lb">&lt;br/&gt;</ph>`;
  return e;
}

// Base texts of a span: kind 0 verse, 1 window of 2 verses, 2 and 3 the
// k-th sentence piece.
function spanText(lang, kind, v, k) {
  if (kind === 0) return verses[lang][v];
  if (kind === 1) {
    const w = 2;
    const parts = [];
    for (let i = v; i < v + w && i < NV && chapterOf[i] === chapterOf[v]; i++) parts.push(verses[lang][i]);
    return join(lang, parts);
  }
  const p = pieces(lang, verses[lang][v]);
  return p[k] ?? null;
}

let n = 0;
let tuvs = 0;
for (let round = 0; n < UNITS; round++) {
  for (let v = 0; v < NV && n < UNITS; v++) {
    let kind = (round + v) % 5;  // 4: a three-language unit of one verse
    let langs;
    if (kind === 4) {
      const [a, b] = PAIRS[(v * 13 + round * 7) % PAIRS.length];
      let c = (v + round) % LANGS.length;
      while (LANGS[c] === a || LANGS[c] === b) c = (c + 1) % LANGS.length;
      langs = [a, b, LANGS[c]];
    } else {
      langs = PAIRS[(v * 31 + round * 17) % PAIRS.length].slice();
    }
    // kind 2 and 3 take sentence pieces (the k-th, counted from the start
    // or the end) when both languages split a verse alike; a window of two
    // verses only when it stays sentence-sized.  Otherwise the verse.
    let k = 0;
    if (kind === 2 || kind === 3) {
      const pa = pieces(langs[0], verses[langs[0]][v]);
      const pb = pieces(langs[1], verses[langs[1]][v]);
      if (pa.length < 2 || pa.length !== pb.length) kind = 0;
      else k = kind === 2 ? round % pa.length : pa.length - 1 - (round % pa.length);
    }
    if (kind === 1) {
      if (v + 2 > NV || chapterOf[v + 1] !== chapterOf[v] ||
          langs.some((l) => Buffer.byteLength(spanText(l, 1, v, 0)) > 320)) kind = 0;
    }
    const ref = refs[v];
    const texts = [];
    for (const lang of langs) {
      const t = spanText(lang, kind === 4 ? 0 : kind, v, k);
      if (!t) break;
      texts.push(unique(lang, t, ref));
    }
    if (texts.length !== langs.length) continue;
    const created = base + n * 137;
    const changed = n % 5 === 0 ? created + 86400 * (1 + (n % 30)) : 0;
    let tu = `<tu tuid="q${n}" srclang="${langs[0]}" creationdate="${tmxDate(created)}"` +
      ` creationid="${USERS[n % USERS.length]}"`;
    if (changed) tu += ` changedate="${tmxDate(changed)}" changeid="${USERS[(n + 1) % USERS.length]}"`;
    if (n % 3 === 0) tu += ` usagecount="${n % 17}" lastusagedate="${tmxDate(created + 3600)}"`;
    tu += '>\n';
    tu += `<prop type="x-ref">${escAttr(ref)}</prop>`;
    tu += `<prop type="x-kind">${['verse', 'window2', 'piece', 'piece', 'triple'][kind]}</prop>\n`;
    if (n % 11 === 3) tu += `<note>Sura ${chapterOf[v]}, generated unit ${n}.</note>\n`;
    for (let i = 0; i < langs.length; i++) {
      tu += `<tuv xml:lang="${langs[i]}"><seg>${segXml(texts[i], n)}</seg></tuv>\n`;
      textBytes += Buffer.byteLength(texts[i], 'utf8');
    }
    tu += '</tu>\n';
    out(tu);
    n++;
    tuvs += langs.length;
  }
}
out('</body>\n</tmx>\n');
flush();
fs.closeSync(fd);
fs.renameSync(tmxPath + '.tmp', tmxPath);

// ---- queries: real sentences, words perturbed ------------------------------
// Kinds (fixed shares): unchanged 25%, one word substituted 25%, one word
// deleted 20%, one word inserted 15%, two words substituted 15%.
seed = 0x51ed270b;
function perturb(lang, s) {
  const w = tokens(lang, s);
  const r = rand();
  const pick = () => {
    const o = verses[lang][Math.floor(rand() * NV)];
    const ow = tokens(lang, o);
    return ow[Math.floor(rand() * ow.length)];
  };
  const at = () => Math.floor(rand() * w.length);
  if (r < 0.25) return [s, 'unchanged'];
  if (r < 0.5) { w[at()] = pick(); return [join(lang, w), 'substitute1']; }
  if (r < 0.7) { w.splice(at(), 1); return [join(lang, w), 'delete1']; }
  if (r < 0.85) { w.splice(at(), 0, pick()); return [join(lang, w), 'insert1']; }
  w[at()] = pick();
  w[at()] = pick();
  return [join(lang, w), 'substitute2'];
}
function querySource(lang) {
  for (;;) {
    const v = Math.floor(rand() * NV);
    const s = verses[lang][v];
    const nw = tokens(lang, s).length;
    if (noSpace(lang) ? s.length >= 10 && s.length <= 80 : nw >= 6 && nw <= 40) return [s, refs[v]];
  }
}
const qtxt = [];
const qtsv = [];
for (let i = 0; i < 1000; i++) {
  const [s] = querySource('en');
  qtxt.push(perturb('en', s)[0]);
}
for (let i = 0; i < 1000; i++) {
  const lang = LANGS[i % LANGS.length];
  const [s, ref] = querySource(lang);
  const [q, kind] = perturb(lang, s);
  qtsv.push(`${lang}\t${q}\t${kind}\t${ref}`);
}
fs.writeFileSync(path.join(outDir, 'queries.txt'), qtxt.join('\n') + '\n');
fs.writeFileSync(path.join(outDir, 'queries.tsv'), qtsv.join('\n') + '\n');
const info = { units: n, tuvs, tmx: tmxPath, tmx_bytes: bytes, text_bytes: textBytes };
fs.writeFileSync(path.join(outDir, 'corpus.json'), JSON.stringify(info, null, 1) + '\n');
console.log(JSON.stringify(info));
