// The time-out warning (WCAG 2.2.1 Timing Adjustable), after the HMRC "service timeout"
// pattern. Some time before the session ends (2 minutes by default) a modal dialog says when
// it will end; "Stay signed in" (or Escape) asks the server for more time and closes it,
// giving focus back to where it was; "Sign out" signs out. If the time runs out, the page
// goes to "You have been signed out", which says nothing was lost.
//
// The server keeps the time (maturity/views/session_timeout.py): the page carries the
// seconds left when it was served, and before warning or leaving, the script asks the
// server again (a passive request, which does not extend the session), so activity in
// another tab or window is never mistaken for idleness. A tab that gets more time tells the
// others through localStorage, which holds only that time, never anything typed.
//
// Without JavaScript the dialog never opens; every signed-in page says when the session
// will end instead (templates/base.html). Loaded as a module: the Content-Security-Policy
// allows no inline script.
const root = document.getElementById("session-end");
const dialog = document.getElementById("app-timeout");
const STORAGE_KEY = "app-session-end";
const CHECK_AGAIN_MS = 10_000;
// Heard at these points, not every second: each whole minute, then 30 and 10 seconds.
const SPOKEN_SECONDS = [30, 10];

if (root && dialog && typeof dialog.showModal === "function") start();

function plural(count, unit) {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

function start() {
  const person = root.dataset.person;
  const part = (name) => dialog.querySelector(`[data-timeout-${name}]`);
  const title = part("title");
  const countdown = part("countdown");
  const audible = part("audible");
  const note = part("note");
  const problem = part("problem");
  const stayButton = part("stay");
  const signOutButton = part("sign-out");
  const titleText = title.textContent;
  const noteText = note.textContent;
  const stayText = stayButton.textContent;

  // Counted from when the page was asked for, which is when the server's count started.
  let deadline = performance.timeOrigin + Number(root.dataset.expiresIn) * 1000;
  let warnBefore = Number(root.dataset.warnBefore) * 1000;
  // "idle", or "absolute" when the session's whole length ends first (nothing extends it).
  let reason = root.dataset.reason || "idle";
  let timer = null;
  let ticker = null;
  let returnFocusTo = null;
  let spoken = "";
  let leaving = false;
  let absoluteDismissed = false;

  const remaining = () => deadline - Date.now();
  const isOpen = () => dialog.open;

  function share() {
    try {
      const at = root.querySelector("[data-session-end-at]")?.textContent || "";
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ deadline, person, at }));
    } catch (error) {
      // Storage switched off: each tab then finds out from the server before acting.
    }
  }

  function showEndTime(text) {
    const at = root.querySelector("[data-session-end-at]");
    if (at && text) at.textContent = text;
  }

  // The server's answer about this session: signed in (as this person) and until when.
  function adopt(state) {
    deadline = Date.now() + state.expires_in * 1000;
    warnBefore = state.warn_before * 1000;
    reason = state.reason;
    showEndTime(state.expires_at_text);
    if (state.csrf_token) {
      // A fresh token after signing in again elsewhere: forms on this page work again.
      for (const input of document.querySelectorAll("input[name=csrf_token]")) {
        input.value = state.csrf_token;
      }
    }
  }

  async function askServer() {
    const response = await fetch(root.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.status === 401) return { signed_in: false, ...(await safeJson(response)) };
    if (!response.ok) throw new Error(`status ${response.status}`);
    return response.json();
  }

  function schedule() {
    clearTimeout(timer);
    if (leaving) return;
    const left = remaining();
    if (left <= 0) {
      expire();
      return;
    }
    // Once told that a session's whole length is nearly up, the person is not told again.
    const quiet = reason === "absolute" && absoluteDismissed;
    const wait = quiet ? left : left - warnBefore;
    if (wait > 0) {
      // Short steps rather than one long wait: a sleeping laptop or a background tab
      // delays timers, and the next step then sees the real time.
      timer = setTimeout(schedule, Math.min(wait, 30_000));
      return;
    }
    warn();
  }

  async function warn() {
    try {
      const state = await askServer();
      if (!state.signed_in || String(state.person) !== person) return leave(state.reason);
      adopt(state);
      if (remaining() > warnBefore + 1000) {
        if (isOpen()) close();
        return schedule();
      }
    } catch (error) {
      // No answer: warn on this page's own count, which errs early, never late.
    }
    open();
  }

  function open() {
    if (isOpen()) return;
    // Anything being typed is kept now, while the session still lets it be.
    document.dispatchEvent(new CustomEvent("app:session-ending"));
    returnFocusTo = document.activeElement;
    problem.textContent = "";
    spoken = "";
    const extendable = reason !== "absolute";
    stayButton.textContent = extendable ? stayText : "Continue";
    update();
    dialog.showModal();
    // The dialog itself takes focus, so its role, name and whole message are read out.
    dialog.focus();
    clearInterval(ticker);
    ticker = setInterval(update, 1000);
  }

  function close() {
    clearInterval(ticker);
    if (isOpen()) dialog.close();
    const back = returnFocusTo && returnFocusTo.isConnected ? returnFocusTo : null;
    if (back && typeof back.focus === "function") back.focus();
    returnFocusTo = null;
  }

  function phrase(seconds) {
    return seconds >= 60 ? plural(Math.ceil(seconds / 60), "minute") : plural(seconds, "second");
  }

  function update() {
    const seconds = Math.max(0, Math.ceil(remaining() / 1000));
    if (seconds <= 0) {
      expire();
      return;
    }
    const lead =
      reason === "absolute"
        ? "You have been signed in for as long as a session can last. For your security, we will sign you out in "
        : "For your security, we will sign you out in ";
    const strong = document.createElement("strong");
    strong.textContent = phrase(seconds);
    countdown.replaceChildren(lead, strong, ".");
    // Heard when the stretch of time changes (each whole minute, then 30 seconds and 10
    // seconds or fewer left), with the time actually left; seen every second.
    const [short, shorter] = SPOKEN_SECONDS;
    const stretch =
      seconds > short
        ? `minutes ${Math.ceil(seconds / 60)}`
        : `seconds ${seconds > shorter ? short : shorter}`;
    if (stretch !== spoken) {
      spoken = stretch;
      audible.textContent = `${lead}${phrase(seconds)}.`;
    }
  }

  async function stay() {
    if (reason === "absolute") {
      // Nothing extends a session past its whole length: the person has been told.
      absoluteDismissed = true;
      close();
      return schedule();
    }
    problem.textContent = "";
    try {
      const response = await fetch(root.dataset.keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      });
      if (response.status === 401) return leave((await safeJson(response)).reason);
      if (response.status === 400) {
        // The token belongs to a session that has ended (signed in again elsewhere).
        const state = await askServer();
        if (!state.signed_in || String(state.person) !== person) return leave(state.reason);
        adopt(state);
        return stay();
      }
      if (!response.ok) throw new Error(`status ${response.status}`);
      adopt(await response.json());
    } catch (error) {
      problem.textContent =
        "We could not reach the service. Check your connection, then select ‘Stay signed in’ again.";
      return;
    }
    share();
    close();
    schedule();
  }

  async function expire() {
    clearInterval(ticker);
    clearTimeout(timer);
    if (leaving) return;
    try {
      const state = await askServer();
      if (state.signed_in && String(state.person) === person) {
        // Still signed in: activity elsewhere gave the session more time, or this page's
        // count ran a moment ahead of the server's. Never leave while the server says so.
        adopt(state);
        if (remaining() <= 0) {
          timer = setTimeout(expire, 1000);
          return;
        }
        if (remaining() > warnBefore) close();
        else if (isOpen()) ticker = setInterval(update, 1000);
        return schedule();
      }
      leave(state.reason);
    } catch (error) {
      // The service cannot be reached: stay on this page, with what is typed in it.
      if (!isOpen()) open();
      clearInterval(ticker);
      problem.textContent =
        "We cannot reach the service to check whether you are still signed in. What you typed is still on this page. We will try again.";
      timer = setTimeout(expire, CHECK_AGAIN_MS);
    }
  }

  function leave(why) {
    if (leaving) return;
    const next = `${window.location.pathname}${window.location.search}`;
    const address = `${root.dataset.signedOutUrl}?${new URLSearchParams({
      next,
      reason: why === "absolute" ? "absolute" : "idle",
    })}`;
    if (document.documentElement.dataset.unsavedTyping === "true") {
      // Typing not yet kept (the connection dropped): stay until the page has kept it.
      leaving = true;
      if (!isOpen()) open();
      clearInterval(ticker);
      title.textContent = "You have been signed out";
      countdown.replaceChildren();
      audible.textContent = "";
      note.textContent = "";
      stayButton.hidden = true;
      signOutButton.hidden = true;
      problem.textContent =
        "You have been signed out. What you typed last has not been kept yet, because the service could not be reached. Keep this page open: we are still trying, and will take you on as soon as it is kept.";
      document.addEventListener("app:draft-kept", () => window.location.assign(address), {
        once: true,
      });
      return;
    }
    leaving = true;
    window.location.assign(address);
  }

  function csrfToken() {
    return document.querySelector("input[name=csrf_token]")?.value || "";
  }

  async function safeJson(response) {
    try {
      return await response.json();
    } catch (error) {
      return {};
    }
  }

  // Focus stays in the dialog while it is open: Tab and Shift+Tab go round its controls.
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const controls = [stayButton, signOutButton].filter((el) => !el.hidden);
    if (controls.length === 0) {
      event.preventDefault();
      return;
    }
    const first = controls[0];
    const last = controls[controls.length - 1];
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === dialog)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !controls.includes(active))) {
      event.preventDefault();
      first.focus();
    }
  });
  // Escape: as "Stay signed in", as the HMRC pattern has it.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (!leaving) stay();
  });
  stayButton.addEventListener("click", () => stay());
  signOutButton.addEventListener("click", () => {
    const form = document.querySelector("form.app-sign-out");
    leaving = true;
    clearInterval(ticker);
    if (form) form.requestSubmit();
    else window.location.assign(root.dataset.signedOutUrl);
  });

  window.addEventListener("storage", (event) => {
    if (event.key !== STORAGE_KEY || !event.newValue) return;
    let shared;
    try {
      shared = JSON.parse(event.newValue);
    } catch (error) {
      return;
    }
    if (shared.person !== person || !(shared.deadline > deadline + 1000)) return;
    // Another tab got more time (a page loaded there, or "Stay signed in").
    deadline = shared.deadline;
    showEndTime(shared.at);
    if (isOpen() && !leaving && remaining() > warnBefore) close();
    schedule();
  });
  // Back to a tab that was hidden, or a laptop woken from sleep: look at the time now.
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && !isOpen()) schedule();
  });

  title.textContent = titleText;
  note.textContent = noteText;
  share();
  schedule();
}
