import { NavLink, Route, Routes } from 'react-router'
import Watchlist from './pages/Watchlist.jsx'
import PortfolioPage from './pages/PortfolioPage.jsx'
import Ticker from './pages/Ticker.jsx'

export default function App() {
  return (
    <>
      <header className="header">
        <span className="brand">Tickerboard</span>
        <nav>
          <NavLink to="/" end>
            Watchlist
          </NavLink>
          <NavLink to="/portfolio">Portfolio</NavLink>
        </nav>
      </header>
      <main>
        <Routes>
          <Route path="/" element={<Watchlist />} />
          <Route path="/portfolio" element={<PortfolioPage />} />
          <Route path="/t/:symbol" element={<Ticker />} />
          <Route path="*" element={<p>Page not found.</p>} />
        </Routes>
      </main>
    </>
  )
}
