const require_undici$1 = require("./undici.js");
const require_index = require("./index.js");
let node_net = require("node:net");
// src/hipchat/proxy.ts
/**
* Forward proxies from the environment, as self-hosted runners set them: `https_proxy` /
* `HTTPS_PROXY` for https:// servers, `http_proxy` / `HTTP_PROXY` for http:// ones (lower case
* first, as curl and @actions/http-client read them), and `no_proxy` / `NO_PROXY` for hosts
* reached directly.
*
* Loaded by the client only when a proxy variable is set: a run without a proxy never pays for
* this module. undici's own `EnvHttpProxyAgent` is not used: it prints an "experimental" warning
* into the step's log, and it sends https traffic through `HTTP_PROXY` when `HTTPS_PROXY` is
* unset, which neither curl nor the Actions toolkit does.
*/
var import_undici = require_undici$1.require_undici();
function parseEntry(raw) {
	let text = raw.trim().toLowerCase();
	if (!text) return void 0;
	let port;
	const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
	if (bracketed) {
		text = bracketed[1];
		if (bracketed[2]) port = Number(bracketed[2]);
	} else if ((text.match(/:/g) ?? []).length === 1) {
		const [host, p] = text.split(":");
		if (p && /^\d+$/.test(p)) {
			text = host;
			port = Number(p);
		}
	}
	const cidr = /^(.+)\/(\d{1,3})$/.exec(text);
	if (cidr && (0, node_net.isIP)(cidr[1])) {
		const list = new node_net.BlockList();
		const family = (0, node_net.isIP)(cidr[1]) === 6 ? "ipv6" : "ipv4";
		try {
			list.addSubnet(cidr[1], Number(cidr[2]), family);
		} catch {
			return;
		}
		return {
			host: text,
			port,
			suffix: false,
			cidr: list
		};
	}
	const suffix = text.startsWith(".") || text.startsWith("*.");
	return {
		host: require_index.normalizeHost(text.replace(/^\*?\./, "")),
		port,
		suffix
	};
}
/**
* Whether `NO_PROXY` says to reach `host:port` directly. Entries are separated by commas or
* white space; `*` matches everything; `example.com` matches it and its subdomains; a leading
* `.` or `*.` does the same; `host:port` matches that port only; IP addresses match exactly, and
* CIDR ranges (`10.0.0.0/8`) match the addresses in them. Case does not matter.
*/
function bypassesProxy(host, port, noProxy) {
	const target = require_index.normalizeHost(host);
	const family = (0, node_net.isIP)(target);
	for (const raw of noProxy.split(/[\s,]+/)) {
		if (raw.trim() === "*") return true;
		const entry = parseEntry(raw);
		if (!entry) continue;
		if (entry.port !== void 0 && entry.port !== port) continue;
		if (entry.cidr) {
			if (family && entry.cidr.check(target, family === 6 ? "ipv6" : "ipv4")) return true;
			continue;
		}
		if (!entry.host) continue;
		if (target === entry.host) return true;
		if (!family && !(0, node_net.isIP)(entry.host) && target.endsWith(`.${entry.host}`)) return true;
	}
	return false;
}
/** The proxy URL without user name and password. */
function displayProxy(uri) {
	try {
		const url = new URL(uri);
		return `${url.protocol}//${url.host}`;
	} catch {
		return "(unparsable proxy URL)";
	}
}
/**
* The proxy to use for `target` under `env`, or undefined to connect directly. Throws when the
* variable holds something that is not a URL, naming the variable (never its value: it may
* hold a password).
*/
function proxyFor(target, env) {
	const https = target.protocol === "https:";
	const variable = (https ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy", "HTTP_PROXY"]).find((name) => env[name]?.trim());
	if (!variable) return void 0;
	const port = Number(target.port) || (https ? 443 : 80);
	if (require_index.isLoopback(target.hostname)) return void 0;
	const noProxy = env.no_proxy ?? env.NO_PROXY ?? "";
	if (noProxy.trim() && bypassesProxy(target.hostname, port, noProxy)) return void 0;
	let uri = env[variable].trim();
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) uri = `http://${uri}`;
	let parsed;
	try {
		parsed = new URL(uri);
	} catch {
		throw new Error(`${variable} is not a proxy URL (value hidden): expected e.g. http://proxy.example.com:3128 or http://user:password@proxy.example.com:3128.`);
	}
	if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`${variable} uses ${parsed.protocol.slice(0, -1)}://, which is not supported: use an http:// (or https://) forward proxy.`);
	return {
		uri,
		display: displayProxy(uri),
		variable
	};
}
/**
* An undici dispatcher that sends requests for `target` through `proxy`: an https:// server
* through a CONNECT tunnel (TLS end to end with the server, so NODE_EXTRA_CA_CERTS still
* decides whom to trust), an http:// server as an absolute-form request (`POST http://host/…`).
*/
function proxyDispatcher(proxy, target, options) {
	const { timeoutMs } = options;
	const poolOptions = {
		headersTimeout: timeoutMs,
		bodyTimeout: timeoutMs,
		keepAliveTimeout: options.keepAliveTimeout,
		keepAliveMaxTimeout: options.keepAliveMaxTimeout
	};
	return new import_undici.ProxyAgent({
		uri: proxy.uri,
		proxyTunnel: target.protocol === "https:",
		...poolOptions,
		proxyTls: { timeout: timeoutMs },
		requestTls: { timeout: timeoutMs },
		clientFactory: (origin, opts) => new import_undici.Pool(origin, {
			...opts,
			...poolOptions
		}),
		factory: (origin, opts) => new import_undici.Pool(origin, {
			...opts,
			...poolOptions
		})
	});
}
exports.proxyDispatcher = proxyDispatcher;
exports.proxyFor = proxyFor;
