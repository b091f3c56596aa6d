// Times in the device's zone for a visitor who chose none.
//
// The server shows such a visitor times in UTC (it cannot know the device's zone, and the
// page may come from the shared page cache). `{% when_time %}` marks those <time> elements
// with data-local-time; this module rewrites each in the zone the browser reports, in the
// server's words ("Tue 4 May, 22:30–23:30 (India)"), and fills [data-local-zone] with the
// zone's label. The zone's names come from the same API the slot picker and the zone notice
// use, so "India" reads here as it does everywhere else. Without JavaScript, or for a zone the
// site does not know, the page stays in UTC, which it says.

import { browserTimeZone } from "./timezone-suggest.js";

const script = document.querySelector("script[data-local-times]");
const RESOLVE_URL = script ? script.dataset.resolveUrl : "/api/v1/time-zones/resolve";

function parts(date, zone, withYear) {
  const options = {
    timeZone: zone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  };
  if (withYear) options.year = "numeric";
  const found = {};
  for (const part of new Intl.DateTimeFormat("en-GB", options).formatToParts(date)) {
    found[part.type] = part.value;
  }
  const day = `${found.weekday} ${found.day} ${found.month}${withYear ? ` ${found.year}` : ""}`;
  return { day, time: `${found.hour}:${found.minute}` };
}

function yearIn(date, zone) {
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, year: "numeric" }).format(date);
}

export function formatWhen(start, end, zone, now = new Date()) {
  const thisYear = yearIn(now, zone);
  const first = parts(start, zone, yearIn(start, zone) !== thisYear);
  let text = `${first.day}, ${first.time}`;
  if (end) {
    const last = parts(end, zone, yearIn(end, zone) !== thisYear);
    text += last.day === first.day ? `–${last.time}` : ` – ${last.day}, ${last.time}`;
  }
  return text;
}

async function resolve(zone) {
  const url = new URL(RESOLVE_URL, window.location.href);
  url.searchParams.set("name", zone);
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) return null;
  return response.json();
}

async function showLocalTimes() {
  const marked = document.querySelectorAll("time[data-local-time]");
  const device = browserTimeZone();
  if (!marked.length || !device) return;
  let zone;
  try {
    zone = await resolve(device);
  } catch {
    return;
  }
  if (!zone || zone.id === "UTC") return;
  for (const element of marked) {
    const start = new Date(element.getAttribute("datetime"));
    const end = element.dataset.end ? new Date(element.dataset.end) : null;
    if (Number.isNaN(start.getTime())) continue;
    element.textContent = `${formatWhen(start, end, zone.id)} (${zone.short})`;
    element.dataset.shownIn = zone.id;
  }
  for (const label of document.querySelectorAll("[data-local-zone]")) {
    label.textContent = `${zone.label}, your device’s zone`;
  }
}

showLocalTimes();
