// Offer the browser's time zone for every <select data-timezone-suggest>.
// Progressive enhancement: without JavaScript the select works as it is. When the device's
// IANA zone differs from the selected one (and is in the list), a "Use <zone>" button appears
// next to the select; pressing it selects that zone. Nothing is saved until the form is sent.

// Some browsers (Chrome's ICU) still report the old name of a renamed zone. Both names are
// valid IANA zones, but people recognise the current one, so prefer it when the list has it.
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
  select.addEventListener("change", refresh);
  select.insertAdjacentElement("afterend", hint);
  refresh();
  return hint;
}

for (const select of document.querySelectorAll("select[data-timezone-suggest]")) {
  attachSuggestion(select);
}
