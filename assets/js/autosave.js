// Keeps what the person types into a domain's answers as their draft on the server
// (maturity/views/drafts.py), so it survives a time-out, a lost connection or a closed tab;
// the domain's page restores it when they come back. Why on the server and not in the
// browser's local storage: maturity/data/drafts.py (evidence can be sensitive, and
// computers are shared).
//
// A draft is never a save: the answers, their version and the carried-forward mark change
// only when the person saves. Keeping a draft is not activity either: it does not stop the
// session timing out (templates/base.html, assets/js/timeout.js).
//
// Loaded as a module from templates/assessments/domain.html: the Content-Security-Policy
// allows no inline script.
const form = document.querySelector("form[data-autosave-url]");
// Kept this long after typing stops, and at least this often while it goes on.
const QUIET_MS = 1500;
const AT_MOST_MS = 8000;
const RETRY_LONGEST_MS = 30_000;

if (form && window.fetch) start(form);

function start(form) {
  const url = form.dataset.autosaveUrl;
  const person = form.dataset.person;
  const status = form.querySelector("[data-autosave-status]");
  const when = form.querySelector("[data-autosave-when]");
  const announce = form.querySelector("[data-autosave-announce]");
  if (status) status.hidden = false;

  // The fields as the page would send them, without the token (which can be replaced).
  const snapshot = () => {
    const data = new FormData(form);
    data.delete("csrf_token");
    return new URLSearchParams(data).toString();
  };
  const body = () => {
    const data = new FormData(form);
    data.set("person", person);
    return new URLSearchParams(data);
  };

  let kept = snapshot(); // what the server holds: the saved answers, or the restored draft
  let timer = null;
  let firstChange = 0;
  let failures = 0;
  let stopped = false;
  let submitting = false;
  let saidUnreachable = false;
  let queue = Promise.resolve(true);

  const dirty = () => !submitting && !stopped && snapshot() !== kept;
  const mark = () => {
    document.documentElement.dataset.unsavedTyping = String(dirty());
  };
  const say = (text) => {
    if (announce) announce.textContent = text;
  };
  const show = (text) => {
    if (when) when.textContent = text;
  };

  async function send() {
    clearTimeout(timer);
    timer = null;
    firstChange = 0;
    const sending = snapshot();
    if (stopped || submitting || sending === kept) {
      mark();
      return true;
    }
    try {
      const response = await fetch(url, {
        method: "POST",
        body: body(),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok || (response.status === 401 && answer.kept)) {
        // Kept (after a time-out too: the server keeps a late draft for its owner).
        kept = sending;
        failures = 0;
        show(answer.kept_at_text ? `Last kept at ${answer.kept_at_text}.` : "");
        if (saidUnreachable) {
          say("The service can be reached again: what you typed is kept as a draft.");
          saidUnreachable = false;
        }
        mark();
        document.dispatchEvent(new CustomEvent("app:draft-kept"));
        return true;
      }
      if (response.status === 401 || response.status === 403 || response.status === 404) {
        // Signed out or no longer allowed: the time-out warning says what happens next.
        stopped = response.status !== 401;
        mark();
        return false;
      }
      if (response.status === 409) {
        stopped = true;
        show(answer.message || "");
        mark();
        return false;
      }
      throw new Error(`status ${response.status}`);
    } catch (error) {
      // No connection, or the service is away: what is typed stays on the page; try again.
      failures += 1;
      if (!saidUnreachable) {
        say(
          "What you typed could not be kept as a draft, because the service cannot be reached. It is still on this page, and we will keep trying.",
        );
        saidUnreachable = true;
      }
      show("Not kept yet: the service cannot be reached. Trying again.");
      clearTimeout(timer);
      timer = setTimeout(save, Math.min(RETRY_LONGEST_MS, 2000 * 2 ** Math.min(failures - 1, 4)));
      mark();
      return false;
    }
  }

  // One request at a time, in order, so an older draft never lands after a newer one.
  function save() {
    queue = queue.then(send, send);
    return queue;
  }

  function changed() {
    mark();
    if (stopped || submitting) return;
    const now = Date.now();
    if (!firstChange) firstChange = now;
    clearTimeout(timer);
    timer = setTimeout(save, Math.max(0, Math.min(QUIET_MS, firstChange + AT_MOST_MS - now)));
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // The form itself saves everything: nothing more to keep once it is sent.
  form.addEventListener("submit", () => {
    submitting = true;
    clearTimeout(timer);
    mark();
  });
  window.addEventListener("online", () => {
    if (dirty()) save();
  });
  // The time-out warning has opened: keep what is typed while the session still lets it.
  document.addEventListener("app:session-ending", () => {
    if (dirty()) save();
  });
  // Leaving: a closed tab, another page, the computer going to sleep. keepalive lets the
  // request finish after the page has gone.
  const leaving = () => {
    if (!dirty()) return;
    fetch(url, { method: "POST", body: body(), credentials: "same-origin", keepalive: true });
  };
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) leaving();
  });
  window.addEventListener("pagehide", leaving);
  // Only when keeping is failing (no connection) does the browser ask before leaving.
  window.addEventListener("beforeunload", (event) => {
    if (dirty() && failures > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Signing out from the header: keep what is typed first (for at most 3 seconds).
  const signOut = document.querySelector("form.app-sign-out");
  if (signOut) {
    signOut.addEventListener("submit", async (event) => {
      if (!dirty()) return;
      event.preventDefault();
      await Promise.race([save(), new Promise((resolve) => setTimeout(resolve, 3000))]);
      submitting = true;
      signOut.submit();
    });
  }
  mark();
}
