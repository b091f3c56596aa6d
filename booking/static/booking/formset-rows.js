/* "Add a range / date / time off" on the coach's availability page
   (templates/booking/includes/formset_table.html).

   Each formset carries its empty form in a <template>; the button clones it with the next
   index in place of Django's __prefix__ and raises the management form's TOTAL_FORMS, up to
   MAX_NUM_FORMS (the server refuses more anyway). Without JavaScript the button stays hidden
   and the page keeps its spare rows and the "save to get more" note. */

const SAY_FULL = (most) => `That is the most rows this list takes (${most}). Remove one to add another.`;

function setUp(formset) {
  const prefix = formset.dataset.formset;
  const form = formset.closest("form");
  const total = form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const most = Number(form.querySelector(`input[name="${prefix}-MAX_NUM_FORMS"]`).value);
  const rows = formset.querySelector("[data-formset-rows]");
  const empty = formset.querySelector("template[data-formset-empty]");
  const button = formset.querySelector("[data-formset-add]");
  const full = formset.querySelector("[data-formset-full]");

  function refresh() {
    const isFull = Number(total.value) >= most;
    button.disabled = isFull;
    full.textContent = isFull ? SAY_FULL(most) : "";
  }

  button.addEventListener("click", () => {
    const index = Number(total.value);
    if (index >= most) return;
    const html = empty.innerHTML
      .replaceAll("__prefix__", String(index))
      .replaceAll("__number__", String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    rows.lastElementChild.querySelector("input, select")?.focus();
    refresh();
  });
  button.hidden = false;
  refresh();
}

document.querySelectorAll("[data-formset]").forEach(setUp);
document.querySelectorAll("[data-formset-no-js]").forEach((note) => {
  note.hidden = true;
});
