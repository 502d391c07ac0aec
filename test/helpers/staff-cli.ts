import { spawn } from 'node:child_process'

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Run `src/cli/staff.ts` (what `npm run staff -- …` runs) with this environment and, optionally, stdin. */
export function staffCli(args: string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/staff.ts', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', STAFF_PASSWORD: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    proc.stdout.on('data', (d) => (stdout += d))
    proc.stderr.on('data', (d) => (stderr += d))
    proc.on('error', reject)
    proc.on('exit', (code) => resolve({ code, stdout, stderr }))
    proc.stdin.end(stdin ?? '')
  })
}
