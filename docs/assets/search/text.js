/*
 * The text folding the site's searches share: the search worker (worker.js, behind the search box,
 * over Pagefind or MiniSearch) and the claims explorer's text filter (explorer.js), so a word, a
 * name or an amount is found the same way in both ("Mövenpick" = "Movenpick", "$1 billion" =
 * "1bn" = "1,000,000,000", and not "US$1.7 billion").
 *
 * A classic script: its functions are globals of the page (a <script> before explorer.js), of the
 * worker (importScripts), or of the iframe the iframe-worker shim runs the worker in from file://;
 * under node (tests/test_search.py) a module.
 */
"use strict"

/** Lower case, compatibility-normalised (ligatures, full-width forms), accents removed. */
function fold(text) {
  return text.normalize("NFKD").replace(/\p{M}+/gu, "").replace(/[’‘ʼ`´]/g, "'")
    .replace(/(\d),(?=\d{3}(?!\d))/g, "$1")  // 1,200,000 = 1200000
    .toLowerCase()
}

// Magnitude words. scripts/kb/evidence.py SCALE (validate's figure check) reads each with the same
// multiple: add a word to both (tests/test_search.py holds it).
const SCALE = { k: 1e3, thousand: 1e3, m: 1e6, mn: 1e6, mln: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9, t: 1e12, tn: 1e12, trillion: 1e12 }
const MAGNITUDE = new RegExp(`^(?:${Object.keys(SCALE).join("|")})$`, "i")  // a magnitude word, as SCALE lists them

/**
 * The amounts a query names with a magnitude ("$1 billion", "US$1.7bn"), each as a test of folded
 * text (`fold`): the number followed by any magnitude word of the same scale ("1 billion", "1bn")
 * or written out in full digits ("1,000,000,000", folded to 1000000000). `normaliseQuery` drops the
 * magnitude, so that either spelling finds the other; these tests then put the pages that hold the
 * amount itself before those that merely hold its number ("1 billion" is not "visit day 1").
 */
function figuresOf(query) {
  const tests = []
  const text = inWords(fold(query.normalize("NFKC")).replace(/\p{Sc}/gu, " "))
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)[\s-]*([a-z]+)\b/g)) {
    const scale = SCALE[m[2]]
    if (!scale) continue
    const words = Object.keys(SCALE).filter(w => SCALE[w] === scale).join("|")
    const full = String(Math.round(parseFloat(m[1]) * scale))
    tests.push(new RegExp(`(?<![\\d.])(?:${m[1].replace(".", "\\.")}[\\s-]*(?:${words})\\b|${full}(?![\\d]))`))
  }
  return tests
}
/**
 * An amount written in full digits (commas removed: "1,000,000,000" is 1000000000) as its
 * magnitude spelling ("1 billion", "250 million"), for a whole number of millions, billions or
 * trillions: typed as digits, an amount finds the texts that write it in words, as "1 billion"
 * finds the digits (a claims explorer test: "US$1,000,000,000" missed claims about the "Target of
 * USD 1 billion"). Only whole multiples: the number left in the query's words ("250") still
 * starts the digits a text may write ("250000000"), where "1.2" would not start "1200000". Other
 * numbers are left as they are.
 */
function inWords(text) {
  return text.replace(/(?<![\d.])(\d{7,15})(?![\d.])/g, (all, digits) => {
    const value = Number(digits)
    for (const [word, scale] of [["trillion", 1e12], ["billion", 1e9], ["million", 1e6]]) {
      if (value >= scale && value % scale === 0) return `${value / scale} ${word}`
    }
    return all
  })
}
const CURRENCY_CODE = /^(?:us|usd|eur|gbp|pkr|kzt|rs|rub|cny)$/i

/**
 * A query as words both engines agree on (the words of :func:`tokenize`, so quotation marks,
 * brackets, dashes and hyphens of every style separate words); currency signs and codes dropped
 * before an amount ("US$108", "$ 108", "USD 250" -> the number);
 * a magnitude after an amount dropped ("9.3bn", "1.7 billion" -> the number), since the text
 * writes it either way. Returns the words, in order.
 */
function normaliseQuery(query) {
  const words = tokenize(inWords(query.normalize("NFKC").replace(/(\d),(?=\d{3}(?!\d))/g, "$1"))
    .replace(/\p{Sc}/gu, " ")
    .replace(/(\d)([a-z]+)\b/gi, (all, digit, unit) => MAGNITUDE.test(unit) ? `${digit} ${unit}` : all)
    .replace(/\b([a-z]{2,3})\.?(?=\s*\d)/gi, (all, code) => CURRENCY_CODE.test(code) ? " " : all))
  return words.filter((word, i) => !(MAGNITUDE.test(word) && i > 0 && /\d$/.test(words[i - 1])))
}

/** Words of a text for MiniSearch: runs of letters and digits, with a decimal point or thousands
    separator kept inside a number ("1.7", "1,200"); letters and digits apart ("US$108" -> us, 108). */
function tokenize(text) {
  return text.normalize("NFKC").match(/\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}]+(?:['’][\p{L}]+)*/gu) || []
}

/** The words of a text as a query's words are compared with them: tokenized, folded. */
function wordsOf(text) {
  return tokenize(text).map(fold)
}

/** Every query word (folded) starts one of `words` (from `wordsOf`). */
function startsEvery(words, folded) {
  return folded.every(w => words.some(t => t.startsWith(w)))
}

/** Every query word starts a word of the text (accents aside): the engines' own matching may
    reach further (Pagefind splits an unknown word into known ones), a reader expects these words. */
function holdsEvery(text, folded) {
  return startsEvery(wordsOf(text), folded)
}

if (typeof module !== "undefined") module.exports = { fold, inWords, SCALE, MAGNITUDE, figuresOf, normaliseQuery, tokenize, wordsOf, startsEvery, holdsEvery }
