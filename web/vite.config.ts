import { sveltekit } from '@sveltejs/kit/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [sveltekit()],
  ssr: {
    // SvelteKit 2 needs cookie@0.6; the workspace root hoists fastify's cookie@2, which has a
    // different API. Bundling it makes the server resolve kit's own copy.
    noExternal: ['cookie'],
  },
})
