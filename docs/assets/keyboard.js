/* Keyboard use of the theme's drawer and search buttons, both engines (loaded by mkdocs.yml and
 * zensical.toml, extra_javascript; a file, not inline: inline in every page it made the median
 * record page 32 KB, over issue 14's 30 KB).
 *
 * The header's buttons that open the navigation drawer and search on a narrow screen
 * (`label.md-header__button`, labels of the themes' toggles) become buttons for a keyboard: a tab
 * stop with a role and a name. The themes already open them on Enter; Space is added, as a button
 * takes it. Without this, a keyboard could not open the drawer at all (a reader at 390 px);
 * kb.css takes the closed drawer, and the drawer's closed and covered levels, out of the tab order.
 * Opened from its button, the drawer takes the focus (its first link that shows); Escape closes
 * it, and so does Tab past its last link; closed, the focus goes back to the button. Search opened
 * from its button puts the focus in the box, and closed, back on the button (a tester found the
 * focus under the drawer, on the page behind it, and lost after search). Enter typed in the search
 * box before the first results opens the best of them when they come.
 * tests/test_browser.py: test_every_stop_of_the_tab_order_can_be_seen,
 * test_the_navigation_drawer_works_from_the_keyboard; tests/test_search.py:
 * test_enter_typed_before_the_results_opens_the_first_when_they_come.
 */
(function () {
  var names = { __drawer: "Navigation", __search: "Search" }
  var drawer = document.getElementById("__drawer"), search = document.getElementById("__search")
  var sidebar = document.querySelector(".md-sidebar--primary")
  var buttons = {}
  document.querySelectorAll("label.md-header__button[for]").forEach(function (label) {
    if (!names[label.htmlFor]) return
    buttons[label.htmlFor] = label
    label.tabIndex = 0
    label.setAttribute("role", "button")
    label.setAttribute("aria-label", names[label.htmlFor])
    clickOnSpace(label)
  })
  // Space clicks a label made a button, as it clicks a button (the themes already click on Enter)
  function clickOnSpace(label) {
    label.addEventListener("keydown", function (event) {
      if (event.key !== " ") return
      event.preventDefault()
      label.click()
    })
  }
  function firstShown(root) {
    return Array.prototype.find.call(root.querySelectorAll("a[href], [tabindex='0']"), shown)
  }
  function shown(el) { return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility === "visible" }
  function lost() { var a = document.activeElement; return !a || a === document.body }
  function setDrawer(open) {
    if (drawer.checked === open) return
    drawer.checked = open
    drawer.dispatchEvent(new Event("change", { bubbles: true }))
  }
  if (drawer && sidebar && buttons.__drawer) {
    drawer.addEventListener("change", function () {
      if (drawer.checked && document.activeElement === buttons.__drawer) {
        // into the drawer: its first link that shows (the button is under the drawer now)
        var first = firstShown(sidebar)
        if (first) first.focus({ preventScroll: true })
      } else if (!drawer.checked && (lost() || sidebar.contains(document.activeElement)) && shown(buttons.__drawer)) {
        buttons.__drawer.focus()
      }
    })
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) {
        setDrawer(false)
        if (shown(buttons.__drawer)) buttons.__drawer.focus()
      }
    })
    // A level's title is the way back to the level it opened from: a tab stop too. It and a
    // level's entry open on Enter (the themes click a focused label) and Space (added here).
    sidebar.querySelectorAll(".md-nav .md-nav label.md-nav__title[for]").forEach(function (title) {
      title.tabIndex = 0
      title.setAttribute("role", "button")
    })
    sidebar.querySelectorAll("label.md-nav__link[for], .md-nav .md-nav label.md-nav__title[for]").forEach(clickOnSpace)
    // A level of the drawer opened or closed from the keyboard: the focus follows, into the
    // level opened (its first link that shows) or back to the entry that opened it.
    sidebar.addEventListener("change", function (event) {
      var toggle = event.target
      if (!toggle.matches || !toggle.matches(".md-nav__toggle") || !sidebar.contains(document.activeElement)) return
      var level = toggle.parentElement.querySelector(":scope > .md-nav")
      var entry = sidebar.querySelector("label[for='" + toggle.id + "']")
      var target = toggle.checked && level ? firstShown(level) : entry
      if (target && target !== document.activeElement) target.focus({ preventScroll: true })
    })
    // Tab past the drawer's last link (or back to the header) closes it
    document.addEventListener("focusin", function (event) {
      if (drawer.checked && !sidebar.contains(event.target) && event.target !== buttons.__drawer) setDrawer(false)
    })
  }
  // Enter typed in the search box before the results have come (the index still loading): the
  // themes drop it (they open the best result listed, and none is); it opens the best result
  // once they come, unless the query changes or the search closes first (a reader's trial).
  var box = document.querySelector(".md-search__input"), list = document.querySelector(".md-search-result__list")
  if (box && list) {
    var waiting = null
    function stopWaiting() { if (waiting) { waiting.disconnect(); waiting = null } }
    function best() {
      var links = Array.prototype.filter.call(list.querySelectorAll("a[href]"), function (a) {
        return a.firstElementChild && a.firstElementChild.hasAttribute("data-md-score")
      })
      links.sort(function (a, b) {
        return parseFloat(b.firstElementChild.getAttribute("data-md-score")) - parseFloat(a.firstElementChild.getAttribute("data-md-score"))
      })
      return links[0]
    }
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || best() || !box.value.trim()) return
      stopWaiting()
      var query = box.value
      waiting = new MutationObserver(function () {
        if (box.value !== query || (search && !search.checked && !box.matches(":focus"))) return stopWaiting()
        var link = best()
        if (link) { stopWaiting(); link.click() }
      })
      waiting.observe(list, { childList: true, subtree: true })
    })
    box.addEventListener("input", stopWaiting)
  }
  if (search && buttons.__search) {
    search.addEventListener("change", function () {
      var box = document.querySelector(".md-search__input")
      if (search.checked && document.activeElement === buttons.__search && box) box.focus()
    })
    // search closed (Escape, the back arrow): the focus back on its button, not lost on the page
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return
      setTimeout(function () {
        if (!search.checked && lost() && shown(buttons.__search)) buttons.__search.focus()
      }, 0)
    })
  }
})()
  
