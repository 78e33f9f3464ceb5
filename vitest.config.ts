import { defineConfig } from 'vitest/config'
import { projects } from './vitest.workspace.ts'

export default defineConfig({
  test: {
    projects,
    // Fails the run when a test leaves a process running (see tools/test-kit/global-setup.ts).
    globalSetup: ['./tools/test-kit/global-setup.ts'],
  },
})
