// The islands router: a vendored, patched copy of leptos 0.8.23's
// `src/hydration/islands_routing.js` (MIT). Like the original it turns same-origin link
// clicks, form submits and Back/Forward into a fetch of the next page's HTML (with the
// `Islands-Router: true` header) that is put into this document, then hydrates the new
// page's islands and updates the address. What is changed, and why (docs/decisions/0004):
// - only `<main>` and the page's own head tags (title, description, canonical, Open Graph,
//   robots, JSON-LD) are replaced; the original walks both documents in step and never
//   adds or removes a node where their shapes differ (a head with one tag more);
// - a page that is not an islands page (sign-in, the dashboard: `<meta name="tohu-render">`
//   missing) is loaded as a document, as is anything the fetch cannot reach;
// - a new page starts at the top (or its fragment) with focus on its `<h1>`; Back and
//   Forward restore the scroll position the entry had; a newer navigation aborts an older
//   one; the view transition is skipped for `prefers-reduced-motion`;
// - links and forms opt out with `data-router="off"` (downloads, uploads); fragment-only
//   links (the skip link) are left to the browser;
// - Back and Forward between entries an island made on the page shown (the search's) are
//   left to that island (`history.state.island`);
// - islands may navigate with `window.__tohuNavigate(url)` and hear `tohu:navigated`.
(() => {
	let navigation = 0;
	let inFlight = null;
	let shown = location.pathname;
	history.scrollRestoration = "manual";
	history.replaceState({ ...(history.state || {}), router: true }, "");

	const reduceMotion = matchMedia("(prefers-reduced-motion: reduce)");

	function saveScroll() {
		history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, "");
	}

	window.addEventListener("click", (ev) => {
		const url = clickToUrl(ev);
		if (!url) return;
		ev.preventDefault();
		navigate(new Request(url), { push: true, hash: url.hash });
	});

	window.addEventListener("popstate", (ev) => {
		const state = ev.state || {};
		if (state.island && location.pathname === shown) return;
		navigate(new Request(location.href), { push: false, scrollY: state.scrollY || 0 });
	});

	window.addEventListener("submit", (ev) => {
		if (ev.defaultPrevented) return;
		const req = submitToReq(ev);
		if (!req) return;
		ev.preventDefault();
		navigate(req, { push: true });
	});

	window.__tohuNavigate = (url) => {
		const target = new URL(url, location.href);
		navigate(new Request(target), { push: true, hash: target.hash });
	};

	async function navigate(req, how) {
		navigation += 1;
		const current = navigation;
		if (inFlight) inFlight.abort();
		const controller = new AbortController();
		inFlight = controller;
		if (how.push) saveScroll();
		req.headers.append("Islands-Router", "true");
		let resp, html;
		try {
			resp = await fetch(req, { signal: controller.signal });
			html = await resp.text();
		} catch (e) {
			if (controller.signal.aborted) return;
			// Offline or refused: let the browser load it, and say so itself.
			if (req.method === "GET") location.assign(req.url);
			return;
		}
		if (current !== navigation) return;
		const doc = new DOMParser().parseFromString(html, "text/html");
		const url = resp.redirected ? resp.url : req.url;
		const isIslands = doc.querySelector("meta[name=tohu-render][content=islands]");
		const main = doc.querySelector("main");
		if (!isIslands || !main) {
			location.assign(url);
			return;
		}
		const swap = () => swapPage(doc, main);
		if (document.startViewTransition && !reduceMotion.matches) {
			const transition = document.startViewTransition(swap);
			// A newer navigation skips this one's animation (the page still changes).
			transition.ready.catch(() => {});
			transition.finished.catch(() => {});
			await transition.updateCallbackDone;
		} else {
			swap();
		}
		if (how.push) {
			history.pushState({ router: true }, "", url);
		} else {
			history.replaceState({ ...(history.state || {}), router: true }, "", url);
		}
		shown = new URL(url, location.href).pathname;
		settle(how);
		window.dispatchEvent(new Event("tohu:navigated"));
		const root = document.documentElement;
		root.removeAttribute("data-hydrated");
		const islands = [...document.querySelectorAll("main leptos-island")];
		await Promise.all(islands.map((el) => window.__hydrateIsland && window.__hydrateIsland(el, el.dataset.component)));
		if (current === navigation) root.setAttribute("data-hydrated", "true");
	}

	// The page's own head tags: what PageMeta, Title and the JSON-LD write.
	const OWN = "meta[name=description], meta[name=robots], meta[property], link[rel=canonical], script[type='application/ld+json']";

	function swapPage(doc, main) {
		document.title = doc.title;
		for (const el of document.head.querySelectorAll(OWN)) el.remove();
		for (const el of doc.head.querySelectorAll(OWN)) document.head.append(document.adoptNode(el));
		document.querySelector("main").replaceChildren(...[...main.childNodes].map((n) => document.adoptNode(n)));
	}

	// A new page starts at the top (or at its fragment) with focus on its heading, as a
	// page load would put a screen reader there; Back and Forward go where the entry was.
	function settle(how) {
		if (!how.push) {
			window.scrollTo(0, how.scrollY || 0);
			return;
		}
		const target = how.hash && document.getElementById(decodeURIComponent(how.hash.slice(1)));
		const heading = document.querySelector("main h1");
		if (heading) {
			heading.setAttribute("tabindex", "-1");
			heading.focus({ preventScroll: true });
		}
		if (target) target.scrollIntoView();
		else window.scrollTo(0, 0);
	}

	function clickToUrl(ev) {
		if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.altKey || ev.ctrlKey || ev.shiftKey) return;
		const a = ev.composedPath().find((el) => el instanceof Node && el.nodeName.toUpperCase() === "A");
		if (!a || a.namespaceURI === "http://www.w3.org/2000/svg") return;
		if (a.target || !a.href || a.hasAttribute("download") || a.dataset.router === "off") return;
		const rel = (a.getAttribute("rel") || "").split(/\s+/);
		if (rel.includes("external")) return;
		const url = new URL(a.href);
		if (url.origin !== location.origin) return;
		// A fragment of this page (the skip link): the browser scrolls to it.
		if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
		return url;
	}

	function submitToReq(ev) {
		const form = ev.target instanceof HTMLFormElement ? ev.target : ev.target.form;
		if (!form || form.dataset.router === "off" || form.enctype === "multipart/form-data") return;
		const method = (ev.submitter?.getAttribute("formmethod") || form.method).toUpperCase();
		if (method !== "GET" && method !== "POST") return;
		const url = new URL(ev.submitter?.getAttribute("formaction") || form.action, location.href);
		if (url.origin !== location.origin) return;
		const params = new URLSearchParams(new FormData(form, ev.submitter));
		if (method === "GET") {
			url.search = params.toString();
			return new Request(url);
		}
		return new Request(url, { method: "POST", body: params, headers: { Accept: "text/html" } });
	}
})();
