// The slot picker on /book/: a small ES module over the JSON API (no build step).
// Service → coach (optional) → a week of free times in the applicant's zone → confirm.
// "Any coach" shows each time once (the API merges coaches); the booking assigns the coach.
// Visitors without an account see the times too; at the confirm step a form keeps their
// choice in the session while they log in (nothing is held), and the picker offers it again.

import { browserTimeZone, zoneInList } from "../medpath/js/timezone-suggest.js";

const root = document.getElementById("slot-picker");
const api = "/api/v1";
const zoneSelect = root.querySelector("[data-zone-select]");
// The zone times are shown in: the profile's (a visitor's browser's), until the applicant picks
// another for this page.
let zone = root.dataset.zone || browserZone();
const startZone = zone;
const rescheduleId = root.dataset.reschedule;
const csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;

// The zone the device reports, as the list names it (Chrome still says Asia/Calcutta).
function browserZone() {
  return zoneInList(zoneSelect, browserTimeZone() || "UTC") || "UTC";
}
zoneSelect.value = zone;

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
const coachNote = root.querySelector("[data-coach-note]");
const loginForm = root.querySelector("[data-login-form]");
const pendingNotice = root.querySelector("[data-pending-notice]");
const serviceName = root.querySelector("[data-service-name]");
const optionsSummary = root.querySelector("[data-options-summary]");
const pendingData = document.getElementById("pending-choice");
// The time a visitor chose before logging in, offered again once (see booking.views.book).
let pending = pendingData ? JSON.parse(pendingData.textContent) : null;
const dstNotice = root.querySelector("[data-dst-notice]");
const nextFree = root.querySelector("[data-next-free]");
const nextFreeText = root.querySelector("[data-next-free-text]");
const nextFreeGo = root.querySelector("[data-next-free-go]");

const payNote = root.querySelector("[data-pay-note]");
// The API's checkout for one paid session, POST /api/v1/checkout/session (payments holds the
// slot while paying); the page renders its URL.
const checkoutUrl = root.dataset.checkoutUrl;

// `price` is set when the session is bought on its own (no credit), e.g. "CA$155.00".
const state = { service: null, price: "", coach: "", coaches: [], weekOffset: 0, chosen: null, loading: 0 };

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

// "Tue 23:30": the weekday of an ISO time with offset, in that offset's own calendar.
const weekdayTime = (isoWithOffset) =>
  `${dayLabel(isoWithOffset.slice(0, 10), { weekday: "short" })} ${wallTime(isoWithOffset)}`;

const daysBetween = (fromIso, toIso) => Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86400000);

const readableZone = (tz) => tz.replaceAll("_", " ");

// "UTC+05:30" for the offset `tz` has at the instant `when`.
function utcOffset(tz, when) {
  const part = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
    .formatToParts(when)
    .find((p) => p.type === "timeZoneName");
  return part && part.value !== "GMT" ? part.value.replace("GMT", "UTC") : "UTC";
}

// Clock changes (daylight saving) in `tz` between the two dates: [{instant, before, after}].
function clockChanges(tz, startIso, endIso) {
  const changes = [];
  const hour = 3600000;
  const first = Date.parse(`${startIso}T00:00:00Z`) - 14 * hour;
  const last = Date.parse(`${endIso}T00:00:00Z`) + 38 * hour;
  let before = utcOffset(tz, new Date(first));
  for (let t = first + hour; t <= last; t += hour) {
    const now = utcOffset(tz, new Date(t));
    if (now !== before) changes.push({ instant: new Date(t), before, after: now });
    before = now;
  }
  return changes;
}

function showClockChanges(startIso, endIso) {
  const zones = new Set([zone]);
  const coaches = state.coach ? state.coaches.filter((c) => c.slug === state.coach) : state.coaches;
  for (const coach of coaches) zones.add(coach.time_zone);
  const lines = [];
  for (const tz of zones) {
    for (const change of clockChanges(tz, startIso, endIso)) {
      const day = new Intl.DateTimeFormat("en-CA", { timeZone: tz, weekday: "short", month: "short", day: "numeric" }).format(change.instant);
      const whose = tz === zone ? `your zone (${readableZone(tz)})` : readableZone(tz);
      lines.push(`Clocks change in ${whose} on ${day}, from ${change.before} to ${change.after}.`);
    }
  }
  dstNotice.hidden = lines.length === 0;
  dstNotice.textContent = lines.length
    ? `${lines.join(" ")} Times on and after that day are already adjusted, so the gap between your time and the coach's time changes too.`
    : "";
}

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

async function chooseService(slug, price = "", label = "") {
  state.service = slug;
  state.price = price;
  if (serviceName && label) serviceName.textContent = label;
  if (confirmButton && !rescheduleId) confirmButton.textContent = price ? `Pay ${price} and book` : "Book with 1 credit";
  if (payNote) payNote.hidden = !price;
  state.chosen = null;
  steps.confirm.hidden = true;
  const coaches = await getJSON(`${api}/coaches?service=${encodeURIComponent(slug)}`);
  state.coaches = coaches;
  coachSelect.replaceChildren(new Option("Any coach", ""));
  for (const coach of coaches) {
    const label = `${coach.name} (${coach.time_zone.replace("_", " ")})`;
    coachSelect.append(new Option(label, coach.slug));
  }
  const wanted = root.dataset.rescheduleCoach;
  if (rescheduleId && wanted) {
    coachSelect.value = wanted;
    coachSelect.disabled = true;
  } else {
    // A coach named in the URL (back from logging in with a choice) is chosen again.
    const named = (pending && pending.coach) || new URLSearchParams(window.location.search).get("coach");
    if (named && coaches.some((coach) => coach.slug === named)) coachSelect.value = named;
  }
  state.coach = coachSelect.value;
  showOptions();
  steps.coach.hidden = false;
  steps.time.hidden = false;
  if (pending && pending.service === slug) {
    await offerPending();
    return;
  }
  await loadWeek();
}

// The folded coach-and-zone line (when the session came chosen) says what is in force.
function showOptions() {
  if (!optionsSummary) return;
  const coach = state.coaches.find((c) => c.slug === state.coach);
  optionsSummary.textContent = `${coach ? coach.name : "Any coach"} · ${readableZone(zone)} time`;
}

// Back from logging in: the week of the kept time, that time chosen if it is still free.
async function offerPending() {
  const choice = pending;
  pending = null;
  // The offer is made once: a reload shows the times without it.
  const url = new URL(window.location.href);
  url.searchParams.delete("resume");
  window.history.replaceState(null, "", url);
  const when = new Date(choice.start);
  const localDate = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(when);
  state.weekOffset = Math.max(0, Math.floor(daysBetween(isoToday(), localDate) / 7));
  await loadWeek();
  const button = [...week.querySelectorAll(".slot")].find((b) => Date.parse(b.dataset.start) === when.getTime());
  const shown = new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(when);
  pendingNotice.hidden = false;
  pendingNotice.classList.toggle("callout--warning", !button);
  if (button) {
    pendingNotice.textContent = `Welcome back. The time you chose, ${shown}, is still free: check the details and confirm.`;
    button.closest("details").open = true;
    button.click();
  } else {
    pendingNotice.textContent = `The time you chose, ${shown}, is no longer free. Please pick another time below.`;
  }
}

async function loadWeek() {
  const start = addDays(isoToday(), state.weekOffset * 7);
  const end = addDays(start, 6);
  weekLabel.textContent = `${dayLabel(start, { month: "short", day: "numeric" })} – ${dayLabel(end, { month: "short", day: "numeric", year: "numeric" })}`;
  root.querySelector("[data-week='-1']").disabled = state.weekOffset <= 0;
  status.textContent = "Loading times…";
  nextFree.hidden = true;
  showClockChanges(start, end);
  const ticket = ++state.loading;
  const params = new URLSearchParams({ service: state.service, start, end, tz: zone });
  if (state.coach) params.set("coach", state.coach);
  try {
    const data = await getJSON(`${api}/slots?${params}`);
    if (ticket !== state.loading) return; // a newer request won
    renderWeek(data);
    if (!week.querySelector(".slot")) await findNextFree(addDays(end, 1), ticket);
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
    if (narrow && !day.slots.length) {
      // A run of days without times is one plain line, so the first free day stays near the top.
      const label = dayLabel(day.date, { weekday: "short", month: "short", day: "numeric" });
      const last = columns[columns.length - 1];
      if (last && last.dataset.emptyFrom) {
        last.firstChild.textContent = `${last.dataset.emptyFrom} – ${label}`;
      } else {
        const line = document.createElement("p");
        line.className = "slot-day slot-day--empty";
        line.dataset.emptyFrom = label;
        const count = Object.assign(document.createElement("span"), { className: "slot-day__count", textContent: "No times" });
        line.append(Object.assign(document.createElement("span"), { textContent: label }), count);
        columns.push(line);
      }
      continue;
    }
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
      button.dataset.start = slot.start;
      // The accessible name is the visible text plus hidden context (the day, whose time).
      const span = (className, text) => Object.assign(document.createElement("span"), { className, textContent: text });
      button.append(
        span("visually-hidden", `${heading.textContent}, `),
        span("slot__time", wallTime(slot.start)),
        span("visually-hidden", " your time"),
      );
      if (slot.night) {
        // Marked in words (and a moon), not by colour alone: 23:00–06:00 where the applicant is.
        const night = span("slot__night", "Night");
        const moon = span("slot__moon", "☾ ");
        moon.setAttribute("aria-hidden", "true");
        night.prepend(span("visually-hidden", ", "), moon);
        night.append(span("visually-hidden", " in your zone"));
        button.append(night);
      }
      if (slot.coaches_free !== undefined) {
        const free = `${slot.coaches_free} coach${slot.coaches_free === 1 ? "" : "es"} free`;
        button.append(span("visually-hidden", ", "), span("slot__meta", free));
      } else {
        button.append(
          span("visually-hidden", ", with "),
          span("slot__meta", slot.coach.name.replace(/^Dr\.? /, "")),
          span("visually-hidden", ", "),
          span("slot__meta", `${weekdayTime(slot.coach_local_start)} their time`),
        );
      }
      button.addEventListener("click", () => choose(slot, button, heading.textContent));
      item.append(button);
      list.append(item);
    }
    column.append(list);
    columns.push(column);
  }
  week.replaceChildren(...columns);
  if (!total) week.replaceChildren();
  status.textContent = total
    ? `${total} time${total === 1 ? "" : "s"} this week, shown in ${zone === startZone ? "your zone" : "the zone you chose"} (${readableZone(zone)}).`
    : "No free times this week.";
}

// An empty week says when the next free time is, and offers to jump there.
async function findNextFree(fromIso, ticket) {
  nextFree.hidden = false;
  nextFreeGo.hidden = true;
  nextFreeText.textContent = "Looking for the next free time…";
  const params = new URLSearchParams({ service: state.service, start: fromIso, end: addDays(fromIso, 61), tz: zone });
  if (state.coach) params.set("coach", state.coach);
  try {
    const data = await getJSON(`${api}/slots?${params}`);
    if (ticket !== state.loading) return;
    const day = data.days.find((d) => d.slots.length);
    if (!day) {
      nextFreeText.textContent = state.coach
        ? "Nothing in the next two months with this coach. Try “Any coach”."
        : "Nothing in the next two months. Please check back soon: coaches add times every week.";
      return;
    }
    const when = dayLabel(day.date, { weekday: "long", month: "long", day: "numeric" });
    nextFreeText.textContent = `The next free time is ${when} at ${wallTime(day.slots[0].start)} (your time).`;
    nextFreeGo.hidden = false;
    nextFreeGo.onclick = () => {
      state.weekOffset = Math.floor(daysBetween(isoToday(), day.date) / 7);
      loadWeek();
    };
  } catch (error) {
    if (ticket === state.loading) nextFreeText.textContent = error.message;
  }
}

function choose(slot, button, dayText) {
  for (const other of week.querySelectorAll(".slot[aria-pressed=true]")) other.setAttribute("aria-pressed", "false");
  button.setAttribute("aria-pressed", "true");
  state.chosen = slot;
  if (errorBox) errorBox.hidden = true;
  // The weekday goes with every time, so a session around midnight reads one way only.
  const end = slot.end.slice(0, 10) === slot.start.slice(0, 10) ? wallTime(slot.end) : weekdayTime(slot.end);
  const night = slot.night ? " (night time where you are)" : "";
  summary.textContent = `${dayText} at ${wallTime(slot.start)}–${end} your time (${readableZone(zone)})${night}, with ${slot.coach.name}: ${weekdayTime(slot.coach_local_start)} in ${readableZone(slot.coach.time_zone)}.`;
  // "Any coach": the coach named is the one the booking will get unless someone books them
  // first; then the next free coach takes it, and the booking page names them.
  coachNote.textContent =
    slot.coaches_free > 1
      ? `${slot.coach.name} is the free coach with the fewest sessions that day. If someone books ${slot.coach.name} at this time before you confirm, one of the other free coaches takes your session and your booking names them.`
      : "";
  coachNote.hidden = !coachNote.textContent;
  if (loginForm) {
    loginForm.elements.service.value = state.service;
    loginForm.elements.coach.value = state.coach;
    loginForm.elements.start.value = slot.start;
  }
  steps.confirm.hidden = false;
  (confirmButton || loginForm.querySelector("button")).focus();
}

async function confirm() {
  if (!state.chosen) return;
  confirmButton.disabled = true;
  errorBox.hidden = true;
  // With "any coach" no coach is sent: the server assigns one as it books (the next free one
  // if the coach named here was taken meanwhile).
  const coach = state.coach;
  try {
    if (state.price) {
      // Hold the slot and go to the checkout; the booking is confirmed when payment succeeds.
      const checkout = await postJSON(checkoutUrl, { service: state.service, coach, start: state.chosen.start });
      window.location.assign(checkout.checkout_url);
      return;
    }
    const booking = rescheduleId
      ? await postJSON(`${api}/bookings/${encodeURIComponent(rescheduleId)}/reschedule`, { start: state.chosen.start })
      : await postJSON(`${api}/bookings`, {
          service: state.service,
          coach: coach || null,
          start: state.chosen.start,
          notes: notes ? notes.value : "",
        });
    // The booking's own page, told what just happened.
    window.location.assign(`${booking.url}?${rescheduleId ? "rescheduled" : "booked"}=1`);
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

const serviceLabel = (radio) => radio.closest("label").querySelector("strong").textContent;
for (const radio of root.querySelectorAll("input[name=service]")) {
  radio.addEventListener("change", () => chooseService(radio.value, radio.dataset.pay || "", serviceLabel(radio)));
}
coachSelect.addEventListener("change", () => {
  state.coach = coachSelect.value;
  showOptions();
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
if (confirmButton) confirmButton.addEventListener("click", confirm);

zoneSelect.addEventListener("change", () => {
  zone = zoneSelect.value;
  showOptions();
  state.weekOffset = 0;
  state.chosen = null;
  steps.confirm.hidden = true;
  loadWeek();
});

// /book/?service=<slug> (the dashboard's Book buttons) opens that session's times at once.
const wanted = new URLSearchParams(window.location.search).get("service");
const preselected =
  root.querySelector("input[name=service]:checked") ||
  [...root.querySelectorAll("input[name=service]")].find((radio) => radio.value === wanted);
if (preselected) {
  preselected.checked = true;
  chooseService(preselected.value, preselected.dataset.pay || "", serviceLabel(preselected));
}
