import { Agent, type Dispatcher } from 'undici';

/**
 * HTTP clients for tests, real undici agents like the CLI's: one that sends chosen host names to
 * a loopback server (so a page can live at http://news.test/… and the code under test still
 * builds, checks and follows the addresses it would on the web), and one that finds no network.
 */

export interface LoopbackRoute {
  /** Which host names (without port) the loopback server stands in for. */
  hosts: (hostname: string) => boolean;
  /** The loopback server's origin, e.g. http://127.0.0.1:1234. */
  origin: string;
  /** Prefix the path with the original host (`/news.test/page`), so one server can serve many hosts. */
  hostInPath?: boolean;
}

/**
 * A client whose requests to `route.hosts` go to the loopback server; others go where they say.
 * The host is the Host header's when the request has one: a request already sent to a checked
 * address of its host (research's address rule) still names the host it is for.
 */
export function loopbackClient(route: LoopbackRoute): Dispatcher {
  return new Agent().compose((dispatch) => (options, handler) => {
    const named = (options.headers as Record<string, string> | undefined)?.host;
    const target = new URL(named ? `http://${named}` : String(options.origin));
    if (!route.hosts(target.hostname)) return dispatch(options, handler);
    const path = route.hostInPath ? `/${target.host}${options.path}` : options.path;
    return dispatch({ ...options, origin: route.origin, path }, handler);
  });
}

/** A client that fails every request as a machine without a network would: no connection is ever made. */
export function noNetworkClient(): Dispatcher {
  return new Agent({
    connect: (_options, callback) => {
      callback(new Error('the network is gone'), null);
    },
  });
}
