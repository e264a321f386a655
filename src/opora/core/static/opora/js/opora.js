// Small progressive enhancements; every page works without this file.

// Tabs (WAI-ARIA tabs pattern). The tab bar sits outside the swapped #tab-body, so after a
// swap the selection follows the panel, which names its tab (aria-labelledby) as the server
// chose it; arrows, Home and End move between tabs, Enter or Space opens one.
function syncTabs() {
  const panel = document.getElementById("tab-body");
  const chosen = panel && panel.getAttribute("aria-labelledby");
  document.querySelectorAll("[role=tablist][data-tabs]").forEach((bar) => {
    const tabs = [...bar.querySelectorAll("[role=tab]")];
    const known = tabs.some((tab) => tab.id === chosen);
    tabs.forEach((tab) => {
      const selected = known ? tab.id === chosen : tab.getAttribute("aria-selected") === "true";
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
    });
  });
}
document.addEventListener("keydown", (event) => {
  const tab = event.target.closest && event.target.closest("[role=tablist][data-tabs] [role=tab]");
  if (!tab) return;
  const tabs = [...tab.parentElement.querySelectorAll("[role=tab]")];
  const at = tabs.indexOf(tab);
  const next = {
    ArrowRight: tabs[(at + 1) % tabs.length],
    ArrowLeft: tabs[(at - 1 + tabs.length) % tabs.length],
    Home: tabs[0],
    End: tabs[tabs.length - 1],
  }[event.key];
  if (next) {
    event.preventDefault();
    next.focus();
  } else if (event.key === " ") {
    event.preventDefault();
    tab.click();
  }
});

// The main navigation is a <details> menu: open beside the page when the screen holds both, else
// folded behind its button above the page, so the heading comes first on a phone. "Holds both"
// is counted in the text's size (60 rem), so the large text of the version for the visually
// impaired folds the menu on a laptop too and leaves the page its width.
let navigationBeside = null;
function fitNavigation() {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const beside = window.innerWidth >= 60 * rem;
  if (beside === navigationBeside) return;
  navigationBeside = beside;
  document.documentElement.dataset.nav = beside ? "beside" : "folded";
  document.querySelectorAll("details[data-nav-menu]").forEach((menu) => {
    menu.open = beside;
  });
}
window.addEventListener("resize", fitNavigation);

// A table wider than its frame says so: a shadow on the side that has more columns.
// It takes the keyboard's focus, so the arrows scroll it, and a line above it says so.
function markScrollableTables(root) {
  root.querySelectorAll(".table-wrap").forEach((frame) => {
    const more = frame.scrollWidth - frame.clientWidth;
    const scrolls = more > 1;
    frame.classList.toggle("scroll-more-right", scrolls && frame.scrollLeft < more - 1);
    frame.classList.toggle("scroll-more-left", scrolls && frame.scrollLeft > 1);
    if (scrolls && !frame.hasAttribute("tabindex")) frame.tabIndex = 0;
    const hint = frame.previousElementSibling;
    const hinted = hint && hint.classList.contains("table-hint");
    if (scrolls && !hinted && document.body.dataset.scrollHint) {
      const line = document.createElement("p");
      line.className = "table-hint";
      line.textContent = document.body.dataset.scrollHint;
      frame.before(line);
    } else if (!scrolls && hinted) {
      hint.remove();
    }
  });
}
document.addEventListener("scroll", (event) => {
  if (event.target.classList && event.target.classList.contains("table-wrap")) {
    markScrollableTables(event.target.parentElement);
  }
}, true);
window.addEventListener("resize", () => markScrollableTables(document));

// A form sent back with errors: the summary at its top takes the focus, so it is read first;
// each of its links takes the focus to the field it names.
function focusErrorSummary(root) {
  const summary = root.querySelector("[data-error-summary]");
  if (summary) summary.focus();
}
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
  const field = link && document.getElementById(link.getAttribute("href").slice(1));
  if (field) {
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  }
});

document.addEventListener("DOMContentLoaded", () => {
  syncTabs();
  fitNavigation();
  markScrollableTables(document);
  focusErrorSummary(document);
});
document.addEventListener("htmx:afterSwap", syncTabs);
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.elt) focusErrorSummary(event.detail.elt);
  markScrollableTables(document);
  // A link swapped away with its region (a page of a tab's table) leaves the focus nowhere:
  // give it to the region, so the keyboard carries on from there.
  const panel = document.getElementById("tab-body");
  if (panel && (!document.activeElement || document.activeElement === document.body)) {
    panel.focus({ preventScroll: true });
  }
});
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const main = document.getElementById("main");
  if (!main) return;
  const note = document.createElement("ul");
  note.className = "messages";
  note.setAttribute("role", "alert");
  const item = document.createElement("li");
  item.className = "error";
  item.textContent = document.documentElement.lang === "ru"
    ? `Не удалось обновить страницу (ошибка ${status}). Обновите её.`
    : `The page could not be updated (error ${status}). Please reload it.`;
  note.appendChild(item);
  main.prepend(note);
});
