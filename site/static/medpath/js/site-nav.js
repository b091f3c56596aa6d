/* Small screens: collapse the menu behind a toggle. Without JavaScript it simply stays open. */
(function () {
  var header = document.querySelector(".site-header");
  if (!header) return;
  var toggle = header.querySelector(".nav-toggle");
  header.classList.add("site-header--collapsible");
  toggle.hidden = false;
  function setOpen(open) {
    toggle.setAttribute("aria-expanded", String(open));
    header.classList.toggle("site-header--open", open);
  }
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
})();
