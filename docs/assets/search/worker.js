/*
 * The site's search worker, in place of Material's own (scripts/overrides/main.html sets it as
 * the `search` worker of Material's search box; Material documents this as its way to plug in
 * another search). Material's box, results list and keyboard handling stay as they are; this
 * worker answers its messages with one of two engines:
 *
 * - Served over http(s): Pagefind (pagefind/, written after every build by scripts/mkdocs_hooks.py).
 *   It loads nothing until the first query, then only its runtime and the index chunks and
 *   result fragments that query needs, so a page view costs a few hundred bytes of search and a
 *   query a few hundred KB, at any size of the site.
 * - Opened from a folder (file://), where browsers refuse Pagefind's fetches: MiniSearch
 *   (assets/vendor/minisearch/, vendored and integrity-checked) over the single-file index
 *   search/search_index.js that Material's offline plugin writes, handed over by Material's box.
 *
 * Both engines see a query through `normaliseQuery` and text through the same folding, so a
 * word is found whatever surrounds or spells it: quotation marks and brackets of every style,
 * currency signs and codes before an amount ("$108", "US$1.7"), magnitude words and suffixes
 * ("9.3bn", "1.7 billion"), accents ("Mövenpick" = "Movenpick") and Unicode normalisation forms.
 *
 * Protocol (Material 9.8 src/templates/assets/javascripts/integrations/search/worker/message):
 *   in  {type: 0, data: {config, docs, options}}   SETUP
 *   out {type: 1}                                  READY
 *   in  {type: 2, data: "query"}                   QUERY
 *   out {type: 3, data: {items: SearchItem[][]}}   RESULT: one list per page, the page first,
 *        each {location (relative to the site), title, text (HTML, <mark>ed), score, terms}
 * tests/test_search.py runs every query of issue 11 through Material's box, served and file://.
 *
 * Under Zensical (zensical.toml; the same override sets this worker) the box is Zensical's dialog,
 * which speaks another protocol (Zensical 0.0.73's bundle and worker, read from their source) and
 * loads its own index, search.json (served) or search.js (file://), into the page before search
 * opens. It shows each result from that index, by position, so Pagefind's answers (its own
 * fragments) cannot feed it: here MiniSearch searches the same items in both modes, with the same
 * folding and ranking as above (see `zensicalAnswer`):
 *   in  {type: 0, data: {items: [{location, level, title, text, path, tags}], config}}   SETUP
 *   in  {type: 2, data: {input: "query" (HTML-escaped) or an operator, filter: {input: {type:
 *        "operator", data: {operator: "and", operands: [{type: "value", data: {field: "tags",
 *        value}}]}}}, page?: {id, size, from}}}                                         QUERY
 *   out {type: 3, data: {input (the query answered, unescaped), items: [{id (position in items), matches: [{field: "title" | "text" | "path",
 *        value: {highlight: {ranges: [{start, end, value: length underlined}]}}}]}],
 *        pagination: {total, prev?, next?}, aggregations: [{type: "term", data: {value:
 *        [{node: {value: tag, count}}]}}]}}                                             RESULT
 *        (offsets into the item's HTML string; `prev` present only on later pages, which the
 *        dialog appends to the list)
 */
"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
const MAX_PAGES = 50      // pages whose details a query loads (Pagefind: one fragment, ~2 KB, each)
const MAX_SECTIONS = 3    // sections shown under a page

/* Where this script is: under the iframe-worker shim (file://) it runs in an iframe whose own
   location says nothing, so take it from its script element, as Material's worker does. */
const HERE = (typeof document !== "undefined" && document.querySelector("script[src]"))
  ? document.querySelector("script[src]").src
  : self.location.href

/* --- Text: one folding for the index and the query (text.js, shared with the claims explorer) -- */

/* In a worker importScripts loads it at once; under the iframe-worker shim (file://) it returns a
   promise (it adds a script element), which every message waits for; under node (tests), require. */
const TEXT = typeof importScripts === "function"
  ? importScripts(new URL("text.js", HERE).href)
  : Object.assign(globalThis, require("./text.js"))

function escapeHTML(text) {
  return text.replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c])
}

/** Wrap the words of an HTML fragment that start with a query word in <mark>, accents aside. */
function highlight(html, words) {
  if (!words.length) return html
  return html.split(/(<[^>]*>)/).map(part => part.startsWith("<") ? part
    : part.replace(/[\p{L}\p{M}\p{N}]+(?:[.,]\p{N}+)*/gu, word => {
      const folded = fold(word)
      return words.some(w => folded.startsWith(w)) ? `<mark>${word}</mark>` : word
    })).join("")
}

/** About EXCERPT_WORDS words of an item's text (HTML) around the first word that starts with a
    query word, its tags dropped, with "…" where it is cut: Material's index holds a section's whole
    text, a table's cells run together, and from file:// a question's whole table was one result's
    text, pushing the other results off a phone's screen (a reader's trial). Pagefind's excerpts
    (served) are as long (`excerptLength`). */
const EXCERPT_WORDS = 24
function excerpt(html, folded) {
  const words = (html || "").replace(/<[^>]*>/g, " ").split(/\s+/).filter(Boolean)
  if (words.length <= EXCERPT_WORDS) return words.join(" ")
  const hit = words.findIndex(word => {
    const f = fold(word.replace(/^[^\p{L}\p{N}]+/u, ""))
    return folded.some(w => f.startsWith(w))
  })
  const start = Math.max(0, Math.min(Math.max(hit, 0) - 6, words.length - EXCERPT_WORDS))
  const end = start + EXCERPT_WORDS
  return (start > 0 ? "… " : "") + words.slice(start, end).join(" ") + (end < words.length ? " …" : "")
}

/**
 * The record first: pages whose title is the query (every word, nothing else) or whose id is (the
 * query's words joined by hyphens are the page's file name, "visit-agreements-package": an id
 * copied from an address or the explorer), then pages whose title holds every word, each of these two tiers with the higher `boost` first (named records
 * 2, claims and other pages 1: registry.RecordType.search_boost), then the rest in the
 * engine's order. `groups` are lists whose first item is the page. When the query names amounts
 * (`figures`, from `figuresOf`), the pages that hold them all (`group[0].figures`, set by the
 * engine's search from the page's whole text) come before every other, in the same order.
 */
function rank(groups, folded, figures = []) {
  const slug = folded.join("-")
  const tier = item => {
    const name = (item.location || "").split("#")[0].split("/").pop().replace(/\.html$/, "")
    if (folded.length > 1 && name === slug) return 2
    const title = (item.title || "").replace(/<[^>]*>/g, " ")
    if (!holdsEvery(title, folded)) return 0
    return tokenize(title).length === folded.length ? 2 : 1
  }
  const amount = group => figures.length && group[0].figures ? 3 : 0
  return groups
    .map((group, order) => ({ group, order, tier: amount(group) + tier(group[0]), boost: Number(group[0].boost) || 1 }))
    .sort((a, b) => (b.tier - a.tier) || (a.tier ? b.boost - a.boost : 0) || (a.order - b.order))
    .map(entry => entry.group)
    .map((group, i, all) => scored(group, all.length - i))
}

/* The scores say the order shown: Material's box opens, on Enter, the page whose result has the
   highest score (`data-md-score`), not the first listed, so a score left from the engine's own
   order opened another page than the first result (a reader: Enter on "Gwadar", served, opened
   a claim, not the place listed first). A page's own entry scores its place from the bottom,
   its sections less. */
function scored(group, score) {
  return group.map((item, i) => ({ ...item, score: i ? score / 2 : score }))
}

/* The words the opened page highlights (Material's `?h=`, one mark per word): the query's words
   with a magnitude word given back ("1 billion" searches for the figure, with "billion" folded
   into it), and without one-character words beside longer ones ("1" marked every 1 on the page,
   footnote numbers included: a reader). */
function highlightTerms(query, words) {
  const magnitudes = tokenize(query.normalize("NFKC")).filter(word => MAGNITUDE.test(word) && word.length > 1)
  const all = [...new Set([...words, ...magnitudes])]
  const long = all.filter(word => [...word].length > 1)
  return Object.fromEntries((long.length ? long : all).map(word => [word, true]))
}

/* --- Served: Pagefind ----------------------------------------------------------------------- */

let pagefind = null

async function pagefindSearch(words, folded, terms, figures = []) {
  if (!pagefind) {
    const base = new URL("../../pagefind/", HERE)
    pagefind = await import(new URL("pagefind.js", base).href)
    await pagefind.options({ baseUrl: "/", excerptLength: 24 })
    await pagefind.init()
    // A big site is indexed in shards (scripts/site_search.py, SHARD_PAGES): merged here, once
    const others = await (await fetch(new URL("shards.json", base))).json()
    for (const shard of others)
      await pagefind.mergeIndex(new URL(shard, base).href, { baseUrl: "/", excerptLength: 24 })
  }
  const search = await pagefind.search(words.join(" "))
  const pages = await Promise.all(search.results.slice(0, MAX_PAGES).map(async (result, rank) => {
    const page = await result.data()
    const location = page.url.replace(/^\//, "")
    const score = search.results.length - rank
    // The sections under the page, as Material lists them: below the page's own teaser, folded
    // ("N more on this page"), hence a lower score; the page's own heading (#top) is the page.
    const sections = page.sub_results
      .filter(sub => sub.url.includes("#") && sub.url !== page.url && sub.title !== page.meta.title)
      .slice(0, MAX_SECTIONS)
      .map(sub => ({ location: sub.url.replace(/^\//, ""), title: escapeHTML(sub.title), text: sub.excerpt, score: score / 2, terms }))
    if (!holdsEvery(`${page.meta.title || ""} ${page.content}`, folded)) return null
    const own = { location, title: escapeHTML(page.meta.title || location), text: page.excerpt, score, terms, boost: page.meta.boost }
    if (figures.length) {
      const whole = fold(`${page.meta.title || ""} ${page.content}`)
      own.figures = figures.every(test => test.test(whole))
    }
    return [own, ...sections]
  }))
  return pages.filter(Boolean)
}

/* --- From a folder: MiniSearch over Material's single-file index ---------------------------- */

let mini = null
const byLocation = new Map()
const byPage = new Map()  // page -> its docs (the page's own and its sections'), for `figures`
const pageText = new Map()  // page -> its docs' titles and texts, folded: made once, on the first amount query that finds it

function wholePage(page) {
  if (!pageText.has(page))
    pageText.set(page, fold((byPage.get(page) || []).map(doc => `${doc.title || ""} ${doc.text || ""}`).join(" ").replace(/<[^>]*>/g, " ")))
  return pageText.get(page)
}

async function miniSetup(docs) {
  // Under the iframe-worker shim importScripts returns a promise (it adds a script element).
  await importScripts(new URL("../vendor/minisearch/minisearch.js", HERE).href)
  const strip = html => html.replace(/<[^>]*>/g, " ")
  mini = new MiniSearch({
    idField: "location",
    fields: ["title", "text"],
    extractField: (doc, field) => field === "location" ? doc.location : strip(doc[field] || ""),
    tokenize,
    processTerm: term => fold(term),
    searchOptions: {
      boost: { title: 4 },
      // as Pagefind: every word, each as typed so far (a prefix); no guessing at misspellings,
      // so both engines find the same pages
      prefix: true,
      combineWith: "AND",
      // A page's own entry (no #section) before the sections that mention the words, and a
      // page's declared search boost (front matter `search: boost:`) honoured.
      boostDocument: location => {
        const doc = byLocation.get(location)
        return (location.includes("#") ? 1 : 2) * ((doc && doc.boost) || 1)
      },
    },
  })
  for (const doc of docs) {
    byLocation.set(doc.location, doc)
    const page = doc.location.split("#")[0]
    if (!byPage.has(page)) byPage.set(page, [])
    byPage.get(page).push(doc)
  }
  mini.addAll(docs.filter(doc => doc.title || doc.text))
}

function miniSearch(words, folded, terms, figures = []) {
  const groups = new Map()
  let hits = mini.search(words.join(" "))
  const holds = new Map()  // page -> whether its whole text holds every amount of the query
  const holdsAll = page => {
    if (!holds.has(page)) holds.set(page, figures.every(test => test.test(wholePage(page))))
    return holds.get(page)
  }
  // an amount's pages first, before the MAX_PAGES cap: "1 billion" searches "1", on most pages
  if (figures.length) hits = [...hits.filter(hit => holdsAll(hit.id.split("#")[0])), ...hits.filter(hit => !holdsAll(hit.id.split("#")[0]))]
  for (const hit of hits) {
    const page = hit.id.split("#")[0]
    if (!groups.has(page)) {
      if (groups.size === MAX_PAGES) continue
      groups.set(page, [])
    }
    const doc = byLocation.get(hit.id)
    groups.get(page).push({ ...doc, score: hit.score, terms })
  }
  return [...groups.entries()].map(([page, items]) => {
    const own = items.find(item => item.location === page)
      || { ...(byLocation.get(page) || { location: page, title: page, text: "" }), score: 0, terms }
    const sections = items.filter(item => item !== own).slice(0, MAX_SECTIONS)
    return [figures.length ? { ...own, figures: holdsAll(page) } : own, ...sections]
  })
}

/* --- Zensical's dialog: MiniSearch over Zensical's items, served and from a folder ------------ */

let zensicalItems = null         // Zensical's index items, as the dialog holds them
const zensicalId = new Map()     // location -> position in zensicalItems
const PAGE_SIZE = 10             // results per page of the dialog (as Zensical's own worker)

async function zensicalSetup(items) {
  zensicalItems = items
  items.forEach((item, id) => zensicalId.set(item.location, id))
  await miniSetup(items)
}

/** Ranges of the words of an HTML string that start with a query word (accents aside), as
    offsets into the string; tags and character references are skipped. */
function wordRanges(html, folded) {
  const ranges = []
  for (const m of (html || "").matchAll(/<[^>]*>|&[#\w]+;|[\p{L}\p{M}\p{N}]+(?:[.,]\p{N}+)*/gu)) {
    const word = m[0]
    if (word[0] === "<" || word[0] === "&") continue
    const f = fold(word)
    if (folded.some(w => f.startsWith(w))) ranges.push({ start: m.index, end: m.index + word.length, value: word.length })
  }
  return ranges
}

/** The same for an item's path (its breadcrumb: a list of HTML strings), which the dialog reads
    as one string, the segments end to end. */
function pathRanges(path, folded) {
  const ranges = []
  let offset = 0
  for (const segment of path) {
    for (const r of wordRanges(segment, folded)) ranges.push({ ...r, start: r.start + offset, end: r.end + offset })
    offset += segment.length
  }
  return ranges
}

/** The tags ticked in the dialog's filters (an "and" of tag values). */
function selectedTags(filter) {
  const operands = (filter && filter.input && filter.input.data && filter.input.data.operands) || []
  return operands.filter(o => o.type === "value" && o.data && o.data.field === "tags").map(o => o.data.value)
}

/**
 * One query of Zensical's dialog: the pages found (ranked as for Material's box), each page's
 * entry then its sections, flattened into positions in Zensical's items; filtered by the ticked
 * tags; one page of PAGE_SIZE; the tags of all the results counted for the filters. With no
 * words but some tags ticked, every item with those tags, in the index's order.
 */
function zensicalAnswer(query) {
  const input = typeof query.input === "string"
    ? query.input.replace(/&(amp|lt|gt);/g, (all, name) => ({ amp: "&", lt: "<", gt: ">" })[name]) : ""
  const words = normaliseQuery(input)
  const folded = words.map(fold)
  const tags = selectedTags(query.filter)
  let ids = []
  if (words.length) {
    const figures = figuresOf(input)
    for (const group of rank(miniSearch(words, folded, {}, figures), folded, figures)) {
      const [own, ...sections] = group
      // Zensical indexes a page twice: its title alone, and its first section (#top) with the
      // same title and the text; show that section in the page's place.
      const twin = sections.find(item => item.title === own.title)
      for (const item of twin ? [twin, ...sections.filter(item => item !== twin)] : group)
        if (zensicalId.has(item.location)) ids.push(zensicalId.get(item.location))
    }
  } else if (tags.length || (query.input && typeof query.input === "object")) {
    ids = zensicalItems.map((item, id) => id)
  }
  ids = ids.filter(id => tags.every(tag => (zensicalItems[id].tags || []).includes(tag)))
  const counts = new Map()
  for (const id of ids)
    for (const tag of zensicalItems[id].tags || []) counts.set(tag, (counts.get(tag) || 0) + 1)
  const page = query.page || { id: Date.now(), size: PAGE_SIZE, from: 0 }
  const pagination = { total: ids.length }
  if (page.from > 0) pagination.prev = { ...page, from: Math.max(0, page.from - page.size) }
  if (page.from + page.size < ids.length) pagination.next = { ...page, from: page.from + page.size }
  const items = ids.slice(page.from, page.from + page.size).map(id => ({
    id,
    matches: [
      ...["title", "text"].map(field => ({ field, value: { highlight: { ranges: wordRanges(zensicalItems[id][field], folded) } } })),
      { field: "path", value: { highlight: { ranges: pathRanges(zensicalItems[id].path || [], folded) } } },
    ],
  }))
  return {
    input, items, pagination,
    aggregations: [{ type: "term", data: { value: [...counts].map(([value, count]) => ({ node: { value, count } })) } }],
  }
}

/* --- Messages -------------------------------------------------------------------------------- */

async function answer(message) {
  switch (message.type) {
    case SETUP:
      if (message.data.items)
        await zensicalSetup(message.data.items)
      else if (self.location.protocol === "file:" || (typeof parent !== "undefined" && "IFrameWorker" in parent))
        await miniSetup(message.data.docs)
      return { type: READY }
    case QUERY: {
      if (zensicalItems) {
        try {
          return { type: RESULT, data: zensicalAnswer(message.data || {}) }
        } catch (err) {
          console.warn(`search: ${err}`)
          return { type: RESULT, data: { items: [], pagination: { total: 0 }, aggregations: [] } }
        }
      }
      const words = normaliseQuery(message.data || "")
      if (!words.length) return { type: RESULT, data: { items: [] } }
      const folded = words.map(fold)
      const terms = highlightTerms(message.data || "", words)
      const figures = figuresOf(message.data || "")
      try {
        const items = rank(mini ? miniSearch(words, folded, terms, figures) : await pagefindSearch(words, folded, terms, figures), folded, figures)
        for (const group of items)
          for (const item of group) {
            item.title = highlight(item.title || "", folded)
            if (mini) item.text = highlight(excerpt(item.text, folded), folded)
          }
        return { type: RESULT, data: { items } }
      } catch (err) {
        console.warn(`search: ${err}`)
        return { type: RESULT, data: { items: [] } }
      }
    }
    default:
      throw new TypeError("search worker: unknown message type " + message.type)
  }
}

/* Messages are answered one at a time, in order (Pagefind answers asynchronously, and the first
   query also loads it). A query overtaken by a newer one while it waited is not answered: the box
   sends one per key typed and shows whichever result comes last. */
let chain = Promise.resolve()
let latest = 0
addEventListener("message", event => {
  const message = event.data
  const ticket = message.type === QUERY ? ++latest : latest
  chain = chain.then(async () => {
    await TEXT
    if (message.type === QUERY && ticket !== latest) return
    postMessage(await answer(message))
  })
})

if (typeof module !== "undefined") module.exports = { highlight, wordRanges, selectedTags, excerpt, rank, highlightTerms }
