// A report being built in the background: ask the server how far it has got every few
// seconds and update the page, so nobody has to press "Check progress". On the page a
// download shows while its report is prepared (data-download-when-ready), the file is
// fetched as soon as it is ready. Without JavaScript the page works as it is (the link
// reloads it). Loaded as a module from templates/jobs/show.html and preparing.html: the
// Content-Security-Policy allows no inline script.
const INTERVAL_MS = 2000;
const TAG_CLASSES = {
  queued: "govuk-tag--grey",
  running: "govuk-tag--blue",
  done: "govuk-tag--green",
  failed: "govuk-tag--red",
};

function paragraph(text) {
  const p = document.createElement("p");
  p.className = "govuk-body";
  p.textContent = text;
  return p;
}

// A failure as the server shows it (templates/jobs/show.html): an error summary whose
// role="alert" makes screen readers announce the reason, not only the word "Failed".
function failure(message) {
  const summary = document.createElement("div");
  summary.className = "govuk-error-summary";
  const alert = document.createElement("div");
  alert.setAttribute("role", "alert");
  const title = document.createElement("h2");
  title.className = "govuk-error-summary__title";
  title.textContent = "The report could not be built";
  const body = document.createElement("div");
  body.className = "govuk-error-summary__body";
  body.append(paragraph(message));
  alert.append(title, body);
  summary.append(alert);
  return summary;
}

function showResult(root, state) {
  const result = root.querySelector("[data-job-result]");
  result.replaceChildren();
  if (state.download_url) {
    const fetchNow = root.dataset.downloadWhenReady === "true";
    if (fetchNow) {
      // The page no longer says it is being prepared, nor to stay and wait.
      const heading = document.querySelector("[data-job-heading]");
      if (heading) {
        document.title = document.title.replace(heading.textContent, heading.dataset.jobHeading);
        heading.textContent = heading.dataset.jobHeading;
      }
      for (const p of document.querySelectorAll("[data-job-instructions]")) p.hidden = true;
      result.append(paragraph("Your report is ready and is being downloaded."));
    }
    const p = paragraph(fetchNow ? "If the download does not start, " : "");
    const a = document.createElement("a");
    a.className = "govuk-link";
    a.href = state.download_url;
    a.setAttribute("download", "");
    a.textContent = fetchNow ? `download ${state.filename}` : `Download ${state.filename}`;
    p.append(a);
    if (fetchNow) p.append(".");
    result.append(p);
    // A file answer (Content-Disposition: attachment) leaves this page where it is.
    if (fetchNow) window.location.assign(state.download_url);
  } else if (state.status === "failed") {
    result.append(failure(state.error));
  }
}

function update(root, state) {
  const tag = root.querySelector("[data-job-status]");
  tag.textContent = state.status_text;
  tag.className = `govuk-tag ${TAG_CLASSES[state.status] || ""}`;
  const progress = root.querySelector("[data-job-progress]");
  // The live region is announced only when its words change.
  const words = state.finished
    ? [state.status_text, state.progress].filter(Boolean).join(". ")
    : state.progress;
  if (words && progress.textContent !== words) progress.textContent = words;
  // The same job's row in "Your recent reports", outside this region.
  for (const cell of document.querySelectorAll("[data-job-current-status]")) {
    cell.textContent = state.status_text;
  }
  const bar = root.querySelector("[data-job-bar]");
  bar.max = state.total || 1;
  bar.value = state.total ? state.done : 0;
  if (state.finished) showResult(root, state);
}

function watch(root) {
  const url = root.dataset.statusUrl;
  const refresh = root.querySelector("[data-job-refresh]");
  if (refresh) refresh.hidden = true;
  // The page's words for someone without the script say to check again by hand; they
  // come back with the link if the script cannot follow the job.
  const instructions = [...document.querySelectorAll("[data-job-instructions]")];
  const byHand = instructions.map((p) => p.textContent);
  for (const p of instructions) p.textContent = p.dataset.withScript;
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const state = await response.json();
      update(root, state);
      if (state.finished) return;
    } catch (error) {
      // Signed out, or the server is away: leave the link to check by hand.
      if (refresh) refresh.hidden = false;
      instructions.forEach((p, i) => { p.textContent = byHand[i]; });
      return;
    }
    window.setTimeout(poll, INTERVAL_MS);
  };
  window.setTimeout(poll, INTERVAL_MS);
}

for (const root of document.querySelectorAll('[data-module="app-job"]')) {
  if (root.dataset.finished !== "true") watch(root);
}
