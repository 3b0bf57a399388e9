import adapter from '@sveltejs/adapter-node'
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte'

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    // Content-Security-Policy of every page: SvelteKit adds a fresh nonce per response to
    // script-src for its own inline start-up script; nothing else inline runs. hooks.server.ts adds
    // session-service's public address (run-time configuration) to connect-src.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // stylesheets only from this server; style attributes are allowed because Svelte renders
        // `style:` directives (avatar colours, timeline positions) as attributes on the server
        'style-src': ['self'],
        'style-src-attr': ['unsafe-inline'],
        'img-src': ['self'],
        // a session's video may be at any web address; blob: is what hls.js (Media Source
        // Extensions), a viewer's own local file (an object URL) and fetched subtitles play from.
        // hooks.server.ts lets pages fetch from http(s) addresses (HLS, subtitles).
        'media-src': ['self', 'https:', 'http:', 'blob:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
}

export default config
