// verify's defaults, in a module of their own so that the command line's flags (verify's and apply's)
// can name them without loading nodemailer.

export const defaultVerifyTimeoutMs = 10_000;

/**
 * Sessions in flight at once. A session here spends 150 to 250 ms waiting on the server (connect, a
 * greeting that servers commonly delay by 100 ms, four round trips and the TLS handshake) and under
 * 2 ms of CPU, so 8 at once did about 70 handshakes a second and left the process idle; 128 keeps it
 * busy (64 was still waiting on the servers, measured in BENCHMARKS.md). Many connections to one
 * provider that limits simultaneous logins may want less: --concurrency.
 */
export const defaultVerifyConcurrency = 128;
