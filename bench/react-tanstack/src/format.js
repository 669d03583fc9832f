const price = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
})
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
const integer = new Intl.NumberFormat('en-US')
const time = new Intl.DateTimeFormat('en-US', { timeStyle: 'medium' })

export const formatPrice = (n) => price.format(n)
export const formatMoney = (n) => money.format(n)
export const formatVolume = (n) => integer.format(n)
export const formatSigned = (n) => (n > 0 ? '+' : '') + price.format(n)
export const formatPercent = (n) => (n > 0 ? '+' : '') + price.format(n) + '%'
export const formatTime = (iso) => time.format(new Date(iso))
export const signClass = (n) => (n > 0 ? 'up' : n < 0 ? 'down' : '')
