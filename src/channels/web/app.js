// The chat page's script (served as /chat/app.js): the visitor's secret kept in this browser, a session from
// the server, and Microsoft's Web Chat talking to the server's own Direct Line endpoint. No text of its own:
// the page's texts come from locales/, embedded in the page.
(() => {
  const KEY = 'gnlc.visitor';
  const origin = new URL(document.currentScript.src).origin;
  const strings = JSON.parse(document.getElementById('gnlc-strings').textContent);
  const wanted = navigator.languages?.length ? navigator.languages : [navigator.language || 'en'];
  const lang = wanted.map((l) => l.slice(0, 2).toLowerCase()).find((l) => l in strings) ?? 'en';
  const locale = wanted.find((l) => l.toLowerCase().startsWith(lang)) ?? lang;
  const text = strings[lang];
  const rtl = lang === 'ar';
  document.documentElement.lang = lang;
  document.documentElement.dir = rtl ? 'rtl' : 'ltr';
  document.title = text.title;
  document.getElementById('title').textContent = text.title;
  const startOver = document.getElementById('start-over');
  startOver.textContent = text.start_over;
  // An endorser's browser is their commission's seat: starting over gives it up, and the warning says so.
  let endorser = false;
  startOver.addEventListener('click', (event) => {
    event.preventDefault();
    if (!window.confirm(endorser ? text.start_over_confirm_endorser : text.start_over_confirm)) return;
    localStorage.removeItem(KEY);
    location.reload();
  });
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  // An invitation link for a commission's endorser (/chat#invite=…): sent once with the session, then taken out
  // of the address bar, so that a reload, a bookmark or a shared screen does not carry it.
  const invite = new URLSearchParams(location.hash.slice(1)).get('invite') ?? undefined;
  if (invite) history.replaceState(null, '', location.pathname + location.search);

  async function start() {
    const res = await fetch(`${origin}/chat/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: localStorage.getItem(KEY) ?? undefined, invite, locale }),
    });
    if (!res.ok) throw new Error(`session: ${res.status}`);
    const session = await res.json();
    localStorage.setItem(KEY, session.secret);
    endorser = session.endorser === true;
    const directLine = window.WebChat.createDirectLine({
      token: session.token,
      domain: `${origin}/v3/directline`,
      webSocket: false,
      pollingInterval: 1000,
    });
    const store = window.WebChat.createStore({}, ({ dispatch }) => (next) => (action) => {
      if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
        // The server greets on this event, in the page's language (Direct Line sends no "member added").
        dispatch({ type: 'WEB_CHAT/SEND_EVENT', payload: { name: 'webchat/join', value: { locale, timeZone } } });
      }
      if (action.type === 'DIRECT_LINE/POST_ACTIVITY') {
        const activity = { ...action.payload.activity, localTimezone: timeZone, locale };
        return next({ ...action, payload: { ...action.payload, activity } });
      }
      return next(action);
    });
    window.WebChat.renderWebChat(
      { directLine, store, locale, userID: session.user, dir: rtl ? 'rtl' : 'ltr' },
      document.getElementById('webchat'),
    );
  }

  start().catch(() => {
    document.getElementById('webchat').textContent = text.offline;
  });
})();
