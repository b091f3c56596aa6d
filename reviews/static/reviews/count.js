// Live character and word count for review textareas: <textarea data-count> and an element
// with data-count-for="<textarea id>" (aria-live) that shows the count.
const words = (text) => (text.trim() ? text.trim().split(/\s+/).length : 0);

for (const output of document.querySelectorAll("[data-count-for]")) {
  const field = document.getElementById(output.dataset.countFor);
  if (!field) continue;
  const limit = Number(field.getAttribute("maxlength")) || 0;
  let timer = null;
  const show = () => {
    const chars = field.value.length;
    output.textContent =
      `${chars.toLocaleString()} character${chars === 1 ? "" : "s"}` +
      (limit ? ` of ${limit.toLocaleString()}` : "") +
      ` · ${words(field.value).toLocaleString()} word${words(field.value) === 1 ? "" : "s"}`;
  };
  // Screen readers hear the count after a pause in typing, not on every key.
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(show, 400);
  });
  show();
}
