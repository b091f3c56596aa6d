// The browser's time zone, offered where a zone is chosen or shown.
// Progressive enhancement: without JavaScript every select and page works as it is.
//
// - <select data-timezone-suggest>: when the device's IANA zone differs from the selected one
//   (and is in the list), a "Use <zone>" button appears next to the select; pressing it
//   selects that zone. Nothing is saved until the form is sent.
// - <select data-timezone-suggest="preselect"> (an empty sign-up form): the device's zone is
//   selected straight away, with a note saying so.
// - [data-zone-mismatch] (templates/includes/zone_mismatch.html): shown when the device's
//   zone would show other times than the profile's; its form saves the device's zone.

// Some browsers (Chrome's ICU) still report the old name of a renamed zone. Both names are
// valid IANA zones, but the lists hold only the current one.
const CURRENT_NAMES = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Rangoon": "Asia/Yangon",
  "Europe/Kiev": "Europe/Kyiv",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Mendoza": "America/Argentina/Mendoza",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Godthab": "America/Nuuk",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Etc/UTC": "UTC",
  "Etc/GMT": "UTC",
  "UCT": "UTC",
};

export function browserTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

function zoneInList(select, zone) {
  const values = new Set(Array.from(select.options, (option) => option.value));
  const current = CURRENT_NAMES[zone];
  if (current && values.has(current)) return current;
  return values.has(zone) ? zone : null;
}

function labelFor(select, zone) {
  const option = Array.from(select.options).find((candidate) => candidate.value === zone);
  return option ? option.textContent.trim() : null;
}

export function attachSuggestion(select, browserZone = browserTimeZone()) {
  const zone = browserZone && zoneInList(select, browserZone);
  const label = zone && labelFor(select, zone);
  if (!label) return null;

  const hint = document.createElement("div");
  hint.className = "tz-suggest";
  hint.setAttribute("role", "status");
  const text = document.createElement("span");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button button--small button--secondary";
  button.textContent = `Use ${label}`;
  hint.append(text, button);

  const refresh = () => {
    const matches = select.value === zone;
    text.textContent = matches
      ? `${label} is your device’s time zone.`
      : `Your device is set to ${label}.`;
    button.hidden = matches;
    hint.hidden = matches && !hint.dataset.used;
  };
  button.addEventListener("click", () => {
    select.value = zone;
    hint.dataset.used = "1";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    select.focus();
  });
  if (select.dataset.timezoneSuggest === "preselect") {
    select.value = zone;
    hint.dataset.used = "1";
  }
  select.addEventListener("change", refresh);
  select.insertAdjacentElement("afterend", hint);
  refresh();
  return hint;
}

// --- the mismatch notice ---------------------------------------------------------------

function offsetAt(zone, date) {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(date);
  return parts.find((part) => part.type === "timeZoneName").value;
}

// Two names that give the same clock times (Asia/Calcutta and Asia/Kolkata, Europe/Berlin
// and Europe/Oslo) are no reason to bother anyone: compare the offsets week by week for a year.
export function showSameTimes(zoneA, zoneB, from = new Date()) {
  if (zoneA === zoneB) return true;
  try {
    for (let week = 0; week <= 53; week += 1) {
      const date = new Date(from.getTime() + week * 7 * 24 * 3600 * 1000);
      if (offsetAt(zoneA, date) !== offsetAt(zoneB, date)) return false;
    }
    return true;
  } catch {
    return false; // a zone this browser does not know
  }
}

const keepKey = (profileZone, deviceZone) => `medpath:keep-zone:${profileZone}:${deviceZone}`;

export async function attachMismatchNotice(notice, deviceZone = browserTimeZone()) {
  const profileZone = notice.dataset.profileZone;
  if (!deviceZone || showSameTimes(profileZone, deviceZone)) return null;
  try {
    if (window.localStorage.getItem(keepKey(profileZone, deviceZone))) return null;
  } catch {
    // storage blocked: ask every time
  }
  const url = new URL(notice.dataset.resolveUrl, window.location.href);
  url.searchParams.set("name", deviceZone);
  let zone;
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return null;
    zone = await response.json();
  } catch {
    return null;
  }
  if (zone.id === profileZone) return null;

  notice.querySelector("[data-device-zone]").textContent = zone.label;
  notice.querySelector("[data-zone-use]").textContent = `Use ${zone.place}`;
  notice.querySelector("input[name=zone]").value = zone.id;
  notice.querySelector("[data-zone-keep]").addEventListener("click", () => {
    try {
      window.localStorage.setItem(keepKey(profileZone, deviceZone), "1");
    } catch {
      // storage blocked: hidden for this page only
    }
    notice.hidden = true;
  });
  notice.hidden = false;
  return notice;
}

for (const select of document.querySelectorAll("select[data-timezone-suggest]")) {
  attachSuggestion(select);
}
for (const notice of document.querySelectorAll("[data-zone-mismatch]")) {
  attachMismatchNotice(notice);
}
