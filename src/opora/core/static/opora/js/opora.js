// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // Keep keyboard and screen-reader users oriented after a partial update.
  const region = event.detail.target;
  if (region && region.id === "tab-body") region.focus({ preventScroll: true });
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
