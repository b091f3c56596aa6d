// The slot picker on /book/: a small ES module over the JSON API (no build step).
// Service → coach (optional) → a week of free times in the applicant's zone → confirm.

const root = document.getElementById("slot-picker");
const api = "/api/v1";
const zone = root.dataset.zone;
const rescheduleId = root.dataset.reschedule;
const csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;

const steps = {
  coach: root.querySelector("[data-step=coach]"),
  time: root.querySelector("[data-step=time]"),
  confirm: root.querySelector("[data-step=confirm]"),
};
const coachSelect = root.querySelector("#coach-select");
const week = root.querySelector("[data-slot-week]");
const weekLabel = root.querySelector("[data-week-label]");
const status = root.querySelector("[data-slots-status]");
const summary = root.querySelector("[data-summary]");
const errorBox = root.querySelector("[data-error]");
const confirmButton = root.querySelector("[data-confirm]");
const notes = root.querySelector("#notes");

const payNote = root.querySelector("[data-pay-note]");
// The URL map's checkout endpoint for one paid session (payments holds the slot while paying).
const checkoutUrl = root.dataset.checkoutUrl;

// `price` is set when the session is bought on its own (no credit), e.g. "CA$155.00".
const state = { service: null, price: "", coach: "", weekOffset: 0, chosen: null, loading: 0 };

// Today's date in the applicant's zone, as YYYY-MM-DD (en-CA formats dates that way).
const isoToday = () =>
  new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());

const addDays = (iso, days) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const dayLabel = (iso, opts) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "UTC", ...opts }).format(new Date(`${iso}T00:00:00Z`));

const wallTime = (isoWithOffset) => isoWithOffset.slice(11, 16);

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body.detail || "Something went wrong."), { code: body.code });
  return body;
}

async function postJSON(url, data) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(data),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body.detail || "Something went wrong."), { code: body.code });
  return body;
}

async function chooseService(slug, price = "") {
  state.service = slug;
  state.price = price;
  if (!rescheduleId) confirmButton.textContent = price ? `Pay ${price} and book` : "Book with 1 credit";
  if (payNote) payNote.hidden = !price;
  state.chosen = null;
  steps.confirm.hidden = true;
  const coaches = await getJSON(`${api}/coaches?service=${encodeURIComponent(slug)}`);
  coachSelect.replaceChildren(new Option("Any coach", ""));
  for (const coach of coaches) {
    const label = `${coach.name} (${coach.time_zone.replace("_", " ")})`;
    coachSelect.append(new Option(label, coach.slug));
  }
  const wanted = root.dataset.rescheduleCoach;
  if (rescheduleId && wanted) {
    coachSelect.value = wanted;
    coachSelect.disabled = true;
  }
  state.coach = coachSelect.value;
  steps.coach.hidden = false;
  steps.time.hidden = false;
  await loadWeek();
}

async function loadWeek() {
  const start = addDays(isoToday(), state.weekOffset * 7);
  const end = addDays(start, 6);
  weekLabel.textContent = `${dayLabel(start, { month: "short", day: "numeric" })} – ${dayLabel(end, { month: "short", day: "numeric", year: "numeric" })}`;
  root.querySelector("[data-week='-1']").disabled = state.weekOffset <= 0;
  status.textContent = "Loading times…";
  const ticket = ++state.loading;
  const params = new URLSearchParams({ service: state.service, start, end, tz: zone });
  if (state.coach) params.set("coach", state.coach);
  try {
    const data = await getJSON(`${api}/slots?${params}`);
    if (ticket !== state.loading) return; // a newer request won
    renderWeek(data);
  } catch (error) {
    status.textContent = error.message;
    week.replaceChildren();
  }
}

function renderWeek(data) {
  const columns = [];
  let total = 0;
  // On a phone the week is a list of days that open one at a time; wider screens show it all.
  const narrow = window.matchMedia("(max-width: 40rem)").matches;
  let opened = false;
  for (const day of data.days) {
    const column = document.createElement("details");
    column.className = "slot-day";
    column.open = !narrow || (!opened && day.slots.length > 0);
    opened = opened || column.open;
    const summary = document.createElement("summary");
    summary.className = "slot-day__title";
    const heading = document.createElement("span");
    heading.textContent = dayLabel(day.date, { weekday: "short", month: "short", day: "numeric" });
    const count = document.createElement("span");
    count.className = "slot-day__count";
    count.textContent = day.slots.length ? `${day.slots.length} time${day.slots.length === 1 ? "" : "s"}` : "No times";
    summary.append(heading, count);
    column.append(summary);
    const list = document.createElement("ul");
    list.className = "slot-list";
    for (const slot of day.slots) {
      total += 1;
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "slot";
      button.setAttribute("aria-pressed", "false");
      const yours = wallTime(slot.start);
      const theirs = slot.coach_local_time;
      button.innerHTML = `<span class="slot__time"></span><span class="slot__meta"></span><span class="slot__meta"></span>`;
      const [who, when] = button.querySelectorAll(".slot__meta");
      button.querySelector(".slot__time").textContent = yours;
      who.textContent = slot.coach.name.replace(/^Dr\.? /, "");
      when.textContent = `${theirs} their time`;
      button.setAttribute(
        "aria-label",
        `${heading.textContent}, ${yours} your time, ${theirs} ${slot.coach.name}'s time`,
      );
      button.addEventListener("click", () => choose(slot, button, heading.textContent));
      item.append(button);
      list.append(item);
    }
    column.append(list);
    columns.push(column);
  }
  week.replaceChildren(...columns);
  status.textContent = total
    ? `${total} time${total === 1 ? "" : "s"} this week, shown in your zone (${zone}).`
    : "No free times this week. Try the next week or another coach.";
}

function choose(slot, button, dayText) {
  for (const other of week.querySelectorAll(".slot[aria-pressed=true]")) other.setAttribute("aria-pressed", "false");
  button.setAttribute("aria-pressed", "true");
  state.chosen = slot;
  errorBox.hidden = true;
  summary.textContent = `${dayText} at ${wallTime(slot.start)}–${wallTime(slot.end)} your time (${zone}), with ${slot.coach.name} — ${slot.coach_local_time} in ${slot.coach.time_zone.replace("_", " ")}.`;
  steps.confirm.hidden = false;
  confirmButton.focus();
}

async function confirm() {
  if (!state.chosen) return;
  confirmButton.disabled = true;
  errorBox.hidden = true;
  try {
    if (state.price) {
      // Hold the slot and go to the checkout; the booking is confirmed when payment succeeds.
      const checkout = await postJSON(checkoutUrl, {
        service: state.service,
        coach: state.chosen.coach.slug,
        start: state.chosen.start,
      });
      window.location.assign(checkout.checkout_url);
      return;
    }
    const booking = rescheduleId
      ? await postJSON(`${api}/bookings/${encodeURIComponent(rescheduleId)}/reschedule`, { start: state.chosen.start })
      : await postJSON(`${api}/bookings`, {
          service: state.service,
          coach: state.chosen.coach.slug,
          start: state.chosen.start,
          notes: notes ? notes.value : "",
        });
    window.location.assign(`/book/bookings/${encodeURIComponent(booking.id)}/`);
  } catch (error) {
    errorBox.textContent = error.message;
    errorBox.hidden = false;
    confirmButton.disabled = false;
    if (error.code === "slot_taken") {
      state.chosen = null;
      await loadWeek();
    }
  }
}

for (const radio of root.querySelectorAll("input[name=service]")) {
  radio.addEventListener("change", () => chooseService(radio.value, radio.dataset.pay || ""));
}
coachSelect.addEventListener("change", () => {
  state.coach = coachSelect.value;
  steps.confirm.hidden = true;
  loadWeek();
});
for (const button of root.querySelectorAll("[data-week]")) {
  button.addEventListener("click", () => {
    state.weekOffset = Math.max(0, state.weekOffset + Number(button.dataset.week));
    steps.confirm.hidden = true;
    loadWeek();
  });
}
confirmButton.addEventListener("click", confirm);

const preselected = root.querySelector("input[name=service]:checked");
if (preselected) chooseService(preselected.value, preselected.dataset.pay || "");
