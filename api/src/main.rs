use clap::Parser;

#[actix_web::main]
async fn main() {
    warmnew::memory::return_large_blocks();
    if let Err(err) = warmnew::cli::run(warmnew::cli::Cli::parse()).await {
        eprintln!("warmnew: {err:#}");
        std::process::exit(1);
    }
}
