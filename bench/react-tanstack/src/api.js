// The market API, served on the same origin as the app.
const API_KEY = 'demo'

export const WATCHLIST = ['AAPL', 'GOOG', 'MSFT', 'AMZN', 'TSLA']

async function get(path) {
  const res = await fetch(`/api/v1${path}`, {
    headers: { Authorization: `Bearer ${API_KEY}` },
  })
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`
    try {
      const body = await res.json()
      if (body?.error?.message) message = body.error.message
    } catch {
      // not JSON; keep the status line
    }
    throw new Error(message)
  }
  return res.json()
}

export const fetchQuote = (symbol) => get(`/quotes/${encodeURIComponent(symbol)}`)
export const fetchPortfolio = () => get('/portfolio')
export const fetchHistory = (symbol, period = '1y') =>
  get(`/history/${encodeURIComponent(symbol)}?period=${period}`)

export const quoteQuery = (symbol) => ({
  queryKey: ['quote', symbol],
  queryFn: () => fetchQuote(symbol),
})

export const portfolioQuery = {
  queryKey: ['portfolio'],
  queryFn: fetchPortfolio,
}

export const historyQuery = (symbol, period = '1y') => ({
  queryKey: ['history', symbol, period],
  queryFn: () => fetchHistory(symbol, period),
})
