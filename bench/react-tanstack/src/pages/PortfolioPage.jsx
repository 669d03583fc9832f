import Portfolio from '../components/Portfolio.jsx'

export default function PortfolioPage() {
  return <Portfolio />
}
