// The Print button of the visit's programme (inline handlers are not allowed by the content policy).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
